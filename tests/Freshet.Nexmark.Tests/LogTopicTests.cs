using Freshet.Log;
using Freshet.Nexmark.Generation;
using Freshet.Nexmark.Queries;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.LogTopic;

namespace Freshet.Nexmark.Tests;

public sealed class LogTopicTests
{
    private const long Events = 200_000;

    [Fact]
    public async Task FromNexmarkTopic_WrittenEvents_GiveTheSameResultsAsTheGenerator()
    {
        var directory = Directory.CreateTempSubdirectory("freshet-nexmark-").FullName;
        try
        {
            var generator = new NexmarkGenerator(new NexmarkConfig { Seed = 3 });
            using var store = LogStore.Open(directory, new LogStoreOptions { BackgroundMaintenance = false });
            Assert.Equal(Events, NexmarkLogWriter.Write(store, "nexmark", generator, 0, Events, partitions: 3));
            Assert.Equal(Events, store.DescribeTopic("nexmark").Partitions.Sum(p => store.GetPartition("nexmark", p.Id).LogEndOffset));

            var fromTopic = await RunAsync(env => env.FromNexmarkTopic(store, "nexmark", new LogSourceOptions { Bounded = true }));
            var fromGenerator = await RunAsync(env => env.FromNexmark(generator, Events));
            Assert.NotEmpty(fromGenerator);
            Multiset.AssertEqual(fromGenerator, fromTopic);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Write_InvalidArguments_Throw()
    {
        var directory = Directory.CreateTempSubdirectory("freshet-nexmark-").FullName;
        try
        {
            using var store = LogStore.Open(directory, new LogStoreOptions { BackgroundMaintenance = false });
            var generator = new NexmarkGenerator();
            Assert.Throws<ArgumentOutOfRangeException>(() => NexmarkLogWriter.Write(store, "t", generator, -1, 10));
            Assert.Throws<ArgumentOutOfRangeException>(() => NexmarkLogWriter.Write(store, "t", generator, 0, 10, partitions: 0));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>q7 and q8 at parallelism 2: windows over both kinds of records, sensitive to order and watermarks.</summary>
    private static async Task<List<string>> RunAsync(Func<StreamEnvironment, DataStream<Model.NexmarkEvent>> source)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var q7 = new CollectingSink<Q7Result>();
        var q8 = new CollectingSink<Q8Result>();
        var events = source(env);
        NexmarkQueries.Q7(events).SinkTo(q7);
        NexmarkQueries.Q8(events).SinkTo(q8);
        var job = await env.ExecuteAsync();
        await job.Completion.WaitAsync(TimeSpan.FromMinutes(2));
        return [.. q7.Results.Select(r => r.ToString()), .. q8.Results.Select(r => r.ToString())];
    }
}
