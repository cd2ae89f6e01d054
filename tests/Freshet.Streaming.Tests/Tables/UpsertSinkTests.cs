using System.Text;
using Freshet.Log;
using Freshet.Log.Records;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.Tables;

/// <summary>
/// Upsert sinks in real jobs: a table written to an embedded log topic compacts to the table; a lone update-before
/// becomes a tombstone at the flush while an update's pair writes only the new value; an aggregation written exactly
/// once survives a task failure and restore with the same compacted result; and the Kafka upsert sink writes
/// tombstones through a real broker's transactions.
/// </summary>
public sealed class UpsertSinkTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-upsert-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task ToLogTopic_UpsertsAndDeletes_CompactedTopicEqualsTheTableAndUpdatesWriteNoTombstone()
    {
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("out", 3);
        var upserts = Enumerable.Range(0, 500).Select(i => new KeyValuePair<string, string?>("k" + (i % 37), i % 9 == 8 ? null : "v" + (i % 4))).ToArray();
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        env.FromCollection(upserts).ToTable().ToLogTopic(store, "out", Serializers.Utf8String, Serializers.Utf8String);
        await JobRunner.RunAsync(env);

        var expected = new Dictionary<string, string>();
        var deletesOfPresentKeys = 0;
        foreach (var (key, value) in upserts)
        {
            if (value is not null)
            {
                expected[key] = value;
            }
            else if (expected.Remove(key))
            {
                deletesOfPresentKeys++;
            }
        }

        var records = ReadRecords(store, "out", committedOnly: false);
        Assert.Equal(expected, Compact(records));
        Assert.Equal(deletesOfPresentKeys, records.Count(r => r.Value is null));
    }

    [Fact]
    public async Task SinkToLogTopicAsUpsert_LoneUpdateBefore_IsATombstoneAtTheFlushAndAPairWritesOnlyTheNewValue()
    {
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("out", 1);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        Change<(string Key, string Value)>[] changes =
        [
            Change.Insert(("a", "1")),
            Change.UpdateBefore(("a", "1")),   // never followed by its +U: the row left the table
            Change.Insert(("b", "2")),
            Change.UpdateBefore(("b", "2")),
            Change.UpdateAfter(("b", "3")),
            Change.Insert(("c", "4")),
            Change.Delete(("c", "4")),
        ];
        env.FromCollection(changes)
            .SinkToLogTopicAsUpsert(store, "out", row => Encoding.UTF8.GetBytes(row.Key), row => Encoding.UTF8.GetBytes(row.Value));
        await JobRunner.RunAsync(env);

        var written = ReadRecords(store, "out", committedOnly: false).Select(r => $"{r.Key}:{r.Value ?? "∅"}");
        Assert.Equal(["a:1", "b:2", "b:3", "c:4", "c:∅", "a:∅"], written);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GroupByAggregationIntoExactlyOnceUpsertSink_TaskFailureAndRestore_CompactedResultEqualsAFailureFreeRun(bool rocksDb)
    {
        const int count = 24_000;
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("reference", 3);
        store.CreateTopic("out", 3);

        var reference = CreateAggregationJob(store, "reference", rocksDb, failAt: null);
        var referenceJob = await reference.Env.ExecuteAsync("reference");
        await referenceJob.Completion.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(JobStatus.Finished, referenceJob.Status);

        var failing = CreateAggregationJob(store, "out", rocksDb, failAt: 16_000);
        var job = await failing.Env.ExecuteAsync("failing");
        await job.Completion.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(JobStatus.Finished, job.Status);
        Assert.Equal(1, job.GetCheckpointMetrics().Restarts);
        Assert.NotNull(job.RestoredFrom);

        var expected = ExpectedGroupCounts(count);
        var referenceTable = Compact(ReadRecords(store, "reference", committedOnly: true));
        var restoredTable = Compact(ReadRecords(store, "out", committedOnly: true));
        Assert.Equal(expected, referenceTable);
        Assert.Equal(referenceTable, restoredTable);
        Assert.False(expected.ContainsKey("rare"));
        Assert.True(ReadRecords(store, "out", committedOnly: true).Count(r => r.Key == "rare" && r.Value is null) >= 20, "the rare group's deletes are committed tombstones");

        // Exactly once: every committed record of a group is a change of that group's count; none repeats the previous one.
        foreach (var group in ReadRecords(store, "out", committedOnly: true).GroupBy(r => r.Key))
        {
            var values = group.Select(r => r.Value).ToList();
            for (var i = 1; i < values.Count; i++)
            {
                Assert.NotEqual(values[i - 1], values[i]);
            }
        }
    }

    [Fact]
    public async Task ToKafka_ExactlyOnce_RealBrokerReceivesUpsertsAndTombstones()
    {
        await using var broker = await InProcessBroker.StartAsync();
        broker.Store.CreateTopic("table-out", 2);
        var upserts = Enumerable.Range(0, 300).Select(i => new KeyValuePair<string, string?>("k" + (i % 23), i % 7 == 6 ? null : "v" + i)).ToArray();
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 2,
            Checkpointing = new CheckpointingOptions { Directory = Path.Combine(_root, "kafka-checkpoints"), Interval = TimeSpan.FromMilliseconds(50) },
        });
        env.FromCollection(upserts)
            .ToTable()
            .ToKafka(
                new KafkaSinkOptions
                {
                    BootstrapServers = broker.BootstrapServers,
                    Topic = "table-out",
                    DeliveryGuarantee = DeliveryGuarantee.ExactlyOnce,
                    TransactionalIdPrefix = "table-" + Guid.NewGuid().ToString("N")[..8],
                    FlushTimeout = TimeSpan.FromSeconds(10),
                },
                Serializers.Utf8String,
                Serializers.Utf8String);
        await JobRunner.RunAsync(env);

        var expected = new Dictionary<string, string>();
        foreach (var (key, value) in upserts)
        {
            if (value is null)
            {
                expected.Remove(key);
            }
            else
            {
                expected[key] = value;
            }
        }

        var records = ReadRecords(broker.Store, "table-out", committedOnly: true);
        Assert.Equal(expected, Compact(records));
        Assert.Contains(records, r => r.Value is null);
    }

    /// <summary>
    /// Upserts of 40 users, user <c>i % 40</c> set to <see cref="City"/>; the table is
    /// grouped by city and counted into <paramref name="topic"/> exactly once. <paramref name="failAt"/> fails the job
    /// once at that record, late enough that checkpoints have completed.
    /// </summary>
    private (StreamEnvironment Env, int Count) CreateAggregationJob(LogStore store, string topic, bool rocksDb, int? failAt)
    {
        const int count = 24_000;
        var failed = 0;
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 2,
            BufferTimeout = TimeSpan.FromMilliseconds(5),
            StateBackend = rocksDb ? StateBackend.RocksDb(Path.Combine(_root, "rocks-" + topic)) : StateBackend.Heap,
            Checkpointing = new CheckpointingOptions
            {
                Directory = Path.Combine(_root, "checkpoints-" + topic),
                Interval = TimeSpan.FromMilliseconds(50),
                RestartStrategy = RestartStrategy.FixedDelay(2, TimeSpan.FromMilliseconds(10)),
            },
        });
        env.FromGenerator(i => i, count, WatermarkStrategy.ForMonotonousTimestamps<long>().WithTimestampAssigner((i, _) => i), recordsPerSecond: 16_000)
            .SetParallelism(1)
            .Map(i =>
            {
                if (i == failAt && Interlocked.Exchange(ref failed, 1) == 0)
                {
                    throw new InvalidOperationException("injected failure");
                }

                return new KeyValuePair<string, string?>("u" + (i % 40), City(i));
            })
            .SetParallelism(1)
            .ToTable()
            .GroupBy((user, city) => new KeyValuePair<string, string>(city!, user))
            .Count()
            .MapValues((_, n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ToLogTopic(store, topic, Serializers.Utf8String, Serializers.Utf8String, new LogSinkOptions { DeliveryGuarantee = DeliveryGuarantee.ExactlyOnce, TransactionalIdPrefix = topic });
        return (env, count);
    }

    /// <summary>
    /// The city of upsert <paramref name="i"/>, null to delete the user: mostly one of six, and "rare" now and then,
    /// which its user leaves 40 records later, so that the group is deleted (a tombstone) again and again.
    /// </summary>
    private static string? City(long i) => i % 11 == 10 ? null : i % 997 == 0 ? "rare" : "city" + (i % 6);

    private static Dictionary<string, string> ExpectedGroupCounts(int count)
    {
        var cities = new Dictionary<string, string>();
        for (var i = 0; i < count; i++)
        {
            if (i % 11 == 10)
            {
                cities.Remove("u" + (i % 40));
            }
            else
            {
                cities["u" + (i % 40)] = City(i)!;
            }
        }

        return cities.Values.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Every record of the topic, partition by partition in offset order, as UTF-8 key and value (null: tombstone).</summary>
    private static List<(string Key, string? Value)> ReadRecords(LogStore store, string topic, bool committedOnly)
    {
        var records = new List<(string, string?)>();
        foreach (var partition in store.DescribeTopic(topic).Partitions)
        {
            var read = committedOnly ? store.GetPartition(topic, partition.Id).ReadCommittedRecords(0).ToList() : ReadPartition(store, topic, partition.Id);
            records.AddRange(read.Select(r => (Encoding.UTF8.GetString(r.Key!), r.Value is null ? null : Encoding.UTF8.GetString(r.Value))));
        }

        return records;
    }

    private static List<LogRecord> ReadPartition(LogStore store, string topic, int partitionId)
    {
        var records = new List<LogRecord>();
        var p = store.GetPartition(topic, partitionId);
        var offset = p.LogStartOffset;
        while (offset < p.LogEndOffset)
        {
            foreach (var record in RecordBatchReader.ReadRecords(p.Read(offset, 1 << 20).Records))
            {
                records.Add(record);
                offset = record.Offset + 1;
            }
        }

        return records;
    }

    /// <summary>What log compaction keeps: the last value of each key, keys whose last record is a tombstone removed.</summary>
    private static Dictionary<string, string> Compact(IEnumerable<(string Key, string? Value)> records)
    {
        var table = new Dictionary<string, string>();
        foreach (var (key, value) in records)
        {
            if (value is null)
            {
                table.Remove(key);
            }
            else
            {
                table[key] = value;
            }
        }

        return table;
    }
}
