using Freshet.Log;
using Freshet.Log.Records;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.Connectors;

/// <summary>The log topic source and sink with <see cref="ISerializer{T}"/> keys and values.</summary>
public sealed class LogTopicSerializerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-logser-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task SinkThenSource_KeysValuesTimestampsAndTombstones_RoundTrip()
    {
        using var store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("t", 3);
        var write = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        write.FromGenerator(i => new Ev("k" + (i % 5), 1_000 + i, i * 10), count: 200, WatermarkStrategy.ForMonotonousTimestamps<Ev>().WithTimestampAssigner((e, _) => e.Time))
            .Map(e => e)
            .SinkToLogTopic(store, "t", e => e.Key, Serializers.Utf8String, new EvValue());
        await JobRunner.RunAsync(write);
        var tombstone = new RecordBatchBuilder();
        tombstone.Add(5_000, "k0"u8.ToArray(), null);
        store.GetPartition("t", 0).Append(tombstone.Build());

        var read = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var records = new CollectingSink<KafkaRecord<string, Ev>>();
        var values = new CollectingSink<Ev>();
        read.FromLogTopic(store, "t", Serializers.Utf8String, new EvValue(), new LogSourceOptions { Bounded = true }).SinkTo(records);
        read.FromLogTopic(store, "t", new EvValue(), new LogSourceOptions { Bounded = true }).SinkTo(values);
        await JobRunner.RunAsync(read);

        var withValue = records.Results.Where(r => r.HasValue).ToArray();
        Assert.Equal(200, withValue.Length);
        Assert.All(withValue, r => Assert.Equal(r.Key, r.Value.Key));
        Assert.All(withValue, r => Assert.Equal(r.Value.Time, r.TimestampMs));
        Assert.All(withValue.GroupBy(r => r.Key), g => Assert.Single(g.Select(r => r.Partition).Distinct()));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => i * 10L), withValue.Select(r => r.Value.Value).Order());
        var deleted = Assert.Single(records.Results, r => !r.HasValue);
        Assert.Equal(("k0", "t", 0), (deleted.Key, deleted.Topic, deleted.Partition));
        Assert.Equal(200, values.Results.Count);
    }

    [Fact]
    public async Task Source_ValueThatDoesNotDeserialize_JobFailsNamingTheOffset()
    {
        using var store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("t", 1);
        var builder = new RecordBatchBuilder();
        builder.Add(1, null, LogTopics.Long(1));
        builder.Add(2, null, new byte[] { 1, 2, 3 });
        store.GetPartition("t", 0).Append(builder.Build());
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        env.FromLogTopic(store, "t", Serializers.Int64, new LogSourceOptions { Bounded = true }).SinkTo(new CollectingSink<long>());
        var job = await env.ExecuteAsync();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => job.Completion.WaitAsync(JobRunner.Deadline));
        Assert.Contains("t/0 offset 1", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>An <see cref="Ev"/> as "key|time|value" in UTF-8.</summary>
    private sealed class EvValue : ISerializer<Ev>
    {
        public void Serialize(Ev value, System.Buffers.IBufferWriter<byte> output) => Serializers.Utf8String.Serialize($"{value.Key}|{value.Time}|{value.Value}", output);

        public Ev Deserialize(ReadOnlySpan<byte> input)
        {
            var fields = Serializers.Utf8String.Deserialize(input).Split('|');
            return new Ev(fields[0], long.Parse(fields[1]), long.Parse(fields[2]));
        }
    }
}
