using System.Text;
using CsCheck;
using Freshet.Log;
using Freshet.Log.Records;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.Tables;

/// <summary>
/// Tables from upsert streams: the normaliser turns upserts and tombstones into a normalised changelog, from a stream
/// (<c>ToTable</c>) and from a real embedded log topic (<c>FromLogTopicAsTable</c>); a property test checks the table
/// after every prefix of random upsert/delete sequences against a dictionary.
/// </summary>
public sealed class TableNormalizationTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-tables-" + Guid.NewGuid().ToString("N"));

    public TableNormalizationTests()
    {
        Directory.CreateDirectory(_root);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task ToTable_UpsertsEqualValuesAndTombstones_EmitsNormalisedChangelog()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var sink = new CollectingSink<Change<KeyValuePair<string, string>>>();
        KeyValuePair<string, string?>[] upserts =
        [
            new("a", "1"), new("a", "1"), new("a", "2"), new("b", null), new("a", null), new("a", null), new("b", "3"), new("a", "4"),
        ];
        env.FromCollection(upserts).ToTable().ToChangelogStream().SinkTo(sink);
        await JobRunner.RunAsync(env);

        Assert.Equal(["+I[a, 1]", "-U[a, 1]", "+U[a, 2]", "-D[a, 2]", "+I[b, 3]", "+I[a, 4]"], Changelogs.Format(sink.Results));
    }

    [Fact]
    public async Task ToTable_OfAChangelog_PairsUpdatesAndTreatsALoneUpdateBeforeAsADelete()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var sink = new CollectingSink<Change<KeyValuePair<string, int>>>();
        Change<KeyValuePair<string, int>>[] changes =
        [
            Change.Insert(Pair("a", 1)), Change.UpdateBefore(Pair("a", 1)), Change.UpdateAfter(Pair("a", 2)),
            Change.Insert(Pair("b", 5)),

            // A lone -U (its +U was filtered out upstream) withdraws b; a lone +U adds c.
            Change.UpdateBefore(Pair("b", 5)), Change.UpdateAfter(Pair("c", 7)),
            Change.Delete(Pair("a", 2)), Change.Insert(Pair("a", 3)), Change.UpdateBefore(Pair("a", 3)),
        ];
        env.FromCollection(changes).ToTable().ToChangelogStream().SinkTo(sink);
        await JobRunner.RunAsync(env);

        Assert.Equal(["+I[a, 1]", "-U[a, 1]", "+U[a, 2]", "+I[b, 5]", "-D[b, 5]", "+I[c, 7]", "-D[a, 2]", "+I[a, 3]", "-D[a, 3]"], Changelogs.Format(sink.Results));

        static KeyValuePair<string, int> Pair(string key, int value) => new(key, value);
    }

    [Fact]
    public async Task FromLogTopicAsTable_TombstonesAndRecordsWithoutKey_DeletesAndDropsWithAWarning()
    {
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("users", 2);
        Append(store, "users", 0, [("u1", "Oslo"), (null, "nobody"), ("u1", "Bergen"), ("u2", "Oslo")]);
        Append(store, "users", 1, [("u3", "Rome"), ("u3", null), (null, "again"), ("u4", null), (null, null), ("u3", "Milan")]);
        using var log = new RecordedLog();
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2, LoggerFactory = log.Factory });
        var sink = new CollectingSink<Change<KeyValuePair<string, string>>>();
        env.FromLogTopicAsTable(store, "users", Serializers.Utf8String, Serializers.Utf8String, new LogSourceOptions { Bounded = true })
            .ToChangelogStream()
            .SinkTo(sink);
        await JobRunner.RunAsync(env);

        var timestamped = sink.TimestampedResults;
        Assert.Equal(
            new Dictionary<string, string> { ["u1"] = "Bergen", ["u2"] = "Oslo", ["u3"] = "Milan" },
            Changelogs.Materialize(timestamped));
        var byKey = timestamped.Select(r => r.Value).GroupBy(c => c.Row.Key).ToDictionary(g => g.Key, g => Changelogs.Format(g));
        Assert.Equal(["+I[u1, Oslo]", "-U[u1, Oslo]", "+U[u1, Bergen]"], byKey["u1"]);
        Assert.Equal(["+I[u3, Rome]", "-D[u3, Rome]", "+I[u3, Milan]"], byKey["u3"]);
        Assert.False(byKey.ContainsKey("u4"));

        // Three keyless records, counted over the source's subtasks: warnings at the 1st and 2nd, not the 3rd.
        var warnings = log.Events(1020);
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Message.Contains("(1 so far)", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Message.Contains("(2 so far)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FromKafkaAsTable_RealBroker_TombstonesDeleteAndRecordsWithoutKeyAreDropped()
    {
        await using var broker = await InProcessBroker.StartAsync();
        broker.Store.CreateTopic("accounts", 1);
        await broker.ProduceAsync("accounts", 0, [("a", "10", 1), (null, "lost", 2), ("b", "20", 3), ("a", "11", 4), ("b", null, 5), ("c", null, 6), ("a", "11", 7)]);
        using var log = new RecordedLog();
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2, LoggerFactory = log.Factory });
        var sink = new CollectingSink<Change<KeyValuePair<string, string>>>();
        env.FromKafkaAsTable(new KafkaSourceOptions { BootstrapServers = broker.BootstrapServers, Topic = "accounts", Bounded = true }, Serializers.Utf8String, Serializers.Utf8String)
            .ToChangelogStream()
            .SinkTo(sink);
        await JobRunner.RunAsync(env);

        var byKey = sink.Results.GroupBy(c => c.Row.Key).ToDictionary(g => g.Key, g => Changelogs.Format(g));
        Assert.Equal(["+I[a, 10]", "-U[a, 10]", "+U[a, 11]"], byKey["a"]);
        Assert.Equal(["+I[b, 20]", "-D[b, 20]"], byKey["b"]);
        Assert.Equal(2, byKey.Count);
        var warning = Assert.Single(log.Events(1020));
        Assert.Contains("(1 so far)", warning.Message, StringComparison.Ordinal);
    }

    /// <summary>Upserts of 4 keys with values 0-2; a null value (a quarter of them) deletes the key.</summary>
    private static readonly Gen<(string Key, int? Value)[]> Upserts =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 3]).Select(x => ("k" + x.Item1, x.Item2 == 3 ? (int?)null : x.Item2)).Array[0, 120];

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(2, true)]
    public void ToTable_RandomUpsertsAndDeletes_TableAfterEveryPrefixEqualsADictionary(int parallelism, bool rocksDb)
    {
        Gen.Select(Upserts, Gen.Int[1, 16]).Sample(
            (upserts, batchSize) =>
            {
                var env = StreamEnvironment.Create(new StreamEnvironmentOptions
                {
                    Parallelism = parallelism,
                    BatchSize = batchSize,
                    BufferTimeout = TimeSpan.FromMilliseconds(1),
                    StateBackend = rocksDb ? StateBackend.RocksDb(Path.Combine(_root, "rocks")) : StateBackend.Heap,
                });
                var sink = new CollectingSink<Change<KeyValuePair<string, int?>>>();

                // The input's index is its event time, and each change carries the time of the upsert that caused it.
                var indexed = upserts.Select((u, i) => (Index: (long)i, u.Key, u.Value)).ToArray();
                env.FromCollection(indexed, WatermarkStrategy.ForMonotonousTimestamps<(long Index, string Key, int? Value)>().WithTimestampAssigner((u, _) => u.Index))
                    .Map(u => new KeyValuePair<string, int?>(u.Key, u.Value))
                    .SetParallelism(1)
                    .ToTable()
                    .ToChangelogStream()
                    .SinkTo(sink);
                JobRunner.RunAsync(env).GetAwaiter().GetResult();

                var changes = sink.TimestampedResults;
                var expected = new Dictionary<string, int?>();
                for (var i = 0; i < upserts.Length; i++)
                {
                    if (upserts[i].Value is { } value)
                    {
                        expected[upserts[i].Key] = value;
                    }
                    else
                    {
                        expected.Remove(upserts[i].Key);
                    }

                    Assert.Equal(expected, Changelogs.Materialize(changes, upToTimestamp: i));
                }
            },
            iter: rocksDb ? 5 : 20,
            threads: 1);
    }

    private static void Append(LogStore store, string topic, int partition, (string? Key, string? Value)[] records)
    {
        var builder = new RecordBatchBuilder();
        var time = 1_000L;
        foreach (var (key, value) in records)
        {
            builder.Add(time++, key is null ? null : Encoding.UTF8.GetBytes(key), value is null ? null : Encoding.UTF8.GetBytes(value));
        }

        store.GetPartition(topic, partition).Append(builder.Build());
    }
}
