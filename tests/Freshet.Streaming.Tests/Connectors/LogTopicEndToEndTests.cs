using System.Buffers.Binary;
using System.Text;
using Freshet.Log;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.Connectors;

public sealed class LogTopicEndToEndTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-e2e-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task BoundedTopic_WindowAggregate_WrittenToTopicAndReadBack(int parallelism)
    {
        using var store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("clicks", 3);
        store.CreateTopic("counts", 2);
        var expected = new Dictionary<(string Key, long WindowEnd), (long Count, long Sum)>();
        for (var p = 0; p < 3; p++)
        {
            var events = Enumerable.Range(0, 2000).Select(i => (Time: (long)(i * 3) + p, Key: "user" + ((i + p) % 7), Value: (long)i)).ToArray();
            foreach (var batch in events.Chunk(250))
            {
                LogTopics.Append(store, "clicks", p, batch);
            }

            foreach (var e in events)
            {
                var end = ((e.Time / 1000) + 1) * 1000;
                expected.TryGetValue((e.Key, end), out var cs);
                expected[(e.Key, end)] = (cs.Count + 1, cs.Sum + e.Value);
            }
        }

        // Appended after the job starts: a bounded source stops at the end offsets it saw when it opened.
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism });
        env.FromLogTopic(store, "clicks", LogTopics.ToEv, new LogSourceOptions { Bounded = true }, WatermarkStrategy.ForBoundedOutOfOrderness<Ev>(TimeSpan.FromMilliseconds(10)))
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Aggregate(new CountSum())
            .SinkToLogTopic(store, "counts", r => (Encoding.UTF8.GetBytes(r.Key), Encode(r.Count, r.Sum)));
        await JobRunner.RunAsync(env);

        var output = LogTopics.ReadAll(store, "counts");
        var actual = output.ToDictionary(
            r => (Encoding.UTF8.GetString(r.Key!), r.Timestamp + 1),
            r => (BinaryPrimitives.ReadInt64BigEndian(r.Value), BinaryPrimitives.ReadInt64BigEndian(r.Value.AsSpan(8))));
        Assert.Equal(expected.Count, output.Count);
        Assert.Equal(expected.OrderBy(e => e.Key), actual.OrderBy(e => e.Key));
    }

    [Fact]
    public async Task Source_SomePartitionsFromOffset_ReadsOnlyThose()
    {
        using var store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("t", 3);
        for (var p = 0; p < 3; p++)
        {
            LogTopics.Append(store, "t", p, Enumerable.Range(0, 10).Select(i => ((long)i, "p" + p, (long)i)));
        }

        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var sink = new CollectingSink<Ev>();
        env.FromLogTopic(store, "t", LogTopics.ToEv, new LogSourceOptions { Partitions = [0, 2], StartingOffsets = StartingOffsets.Offset(7), Bounded = true }).SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(["p0:7", "p0:8", "p0:9", "p2:7", "p2:8", "p2:9"], sink.Results.Select(e => $"{e.Key}:{e.Value}").Order());
    }

    [Fact]
    public async Task Source_StartAtTimestampAndLatest_ResolvedPerPartition()
    {
        using var store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("t", 1);
        LogTopics.Append(store, "t", 0, Enumerable.Range(0, 10).Select(i => ((long)i * 100, "k", (long)i)));

        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var fromTime = new CollectingSink<Ev>();
        env.FromLogTopic(store, "t", LogTopics.ToEv, new LogSourceOptions { StartingOffsets = StartingOffsets.Timestamp(650), Bounded = true }).SinkTo(fromTime);
        var latest = new CollectingSink<Ev>();
        env.FromLogTopic(store, "t", LogTopics.ToEv, new LogSourceOptions { StartingOffsets = StartingOffsets.Latest, Bounded = true }).SinkTo(latest);
        await JobRunner.RunAsync(env);
        Assert.Equal([7L, 8L, 9L], fromTime.Results.Select(e => e.Value));
        Assert.Empty(latest.Results);
    }

    [Fact]
    public async Task Source_Unbounded_ReadsRecordsAppendedWhileRunning()
    {
        using var store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("t", 1);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, BufferTimeout = TimeSpan.FromMilliseconds(5) });
        var sink = new CollectingSink<Ev>();
        env.FromLogTopic(store, "t", LogTopics.ToEv).Rebalance().SinkTo(sink);
        var job = await env.ExecuteAsync();
        LogTopics.Append(store, "t", 0, [(1, "a", 1)]);
        await JobRunner.WaitUntilAsync(() => sink.Results.Count == 1);
        LogTopics.Append(store, "t", 0, [(2, "a", 2), (3, "a", 3)]);
        await JobRunner.WaitUntilAsync(() => sink.Results.Count == 3);
        await job.CancelAsync();
        Assert.Equal([1L, 2L, 3L], sink.Results.Select(e => e.Value));
    }

    private static byte[] Encode(long count, long sum)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, count);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), sum);
        return bytes;
    }
}
