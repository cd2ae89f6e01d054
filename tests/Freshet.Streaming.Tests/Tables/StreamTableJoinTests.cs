using CsCheck;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using static Freshet.Streaming.Tests.Tables.JoinTestSupport;

namespace Freshet.Streaming.Tests.Tables;

/// <summary>
/// Stream–table joins: at processing time (driven record by record, since which input a job reads first is up to the
/// scheduler) a record sees the table row current when it arrives; at event time (in jobs, deterministic) a record
/// sees the version valid at its time, whatever the arrival order within the watermark bound, on the heap and RocksDB.
/// </summary>
public sealed class StreamTableJoinTests : IDisposable
{
    private const long Bound = 40;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-stream-table-join-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void JoinTable_ProcessingTime_JoinsTheRowCurrentWhenTheRecordArrives()
    {
        using var inner = Driven(inner: true);
        using var left = Driven(inner: false);
        foreach (var join in new[] { inner, left })
        {
            join.First(new Ev("k1", 0, 1));
            join.Second(Change.Insert(KeyValuePair.Create("k1", "a")));
            join.First(new Ev("k1", 0, 2));
            join.Second(Change.UpdateBefore(KeyValuePair.Create("k1", "a")));
            join.Second(Change.UpdateAfter(KeyValuePair.Create("k1", "b")));
            join.First(new Ev("k1", 0, 3));
            join.First(new Ev("k2", 0, 4));
            join.Second(Change.Delete(KeyValuePair.Create("k1", "b")));
            join.First(new Ev("k1", 0, 5));
        }

        Assert.Equal(["2:a", "3:b"], inner.Output.Select(o => o.Value));
        Assert.Equal(["1:", "2:a", "3:b", "4:", "5:"], left.Output.Select(o => o.Value));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task JoinTable_EventTime_OutOfOrderTableUpdatesAndADelete_EachRecordJoinsTheVersionAtItsTime(bool rocksDb)
    {
        var env = Environment(2, rocksDb);
        // Table versions of k1 at 100 (a), 300 (c, arriving before 200), 200 (b), deleted at 400; all within the bound.
        var table = VersionedTable(env, [
            (Change.Insert(KeyValuePair.Create("k1", "a")), 100),
            (Change.UpdateBefore(KeyValuePair.Create("k1", "a")), 300),
            (Change.UpdateAfter(KeyValuePair.Create("k1", "c")), 300),
            (Change.UpdateBefore(KeyValuePair.Create("k1", "c")), 290),
            (Change.UpdateAfter(KeyValuePair.Create("k1", "b")), 290),
            (Change.Delete(KeyValuePair.Create("k1", "b")), 400),
            (Change.Insert(KeyValuePair.Create("k2", "x")), 420),
        ]);
        Ev[] records = [new("k1", 50, 1), new("k1", 100, 2), new("k1", 295, 3), new("k1", 310, 4), new("k1", 399, 5), new("k1", 400, 6), new("k2", 430, 7), new("k2", 410, 8)];
        var sink = new CollectingSink<string>();
        env.FromCollection(records, EventTime<Ev>(e => e.Time))
            .LeftJoinTable(table, e => e.Key, (e, row) => $"{e.Value}:{row}", new StreamTableJoinOptions { Time = TemporalJoinTime.EventTime })
            .SinkTo(sink);
        await JobRunner.RunAsync(env);

        // Record 4 (310) sees c (300), not b (290, which arrived later but is older); 3 (295) sees b.
        Assert.Equal(["1:", "2:a", "3:b", "4:c", "5:c", "6:", "7:x", "8:"], sink.Results.Order(StringComparer.Ordinal));
        Assert.All(sink.TimestampedResults, r => Assert.Equal(records.Single(e => e.Value == int.Parse(r.Value.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture)).Time, r.Timestamp));
    }

    [Theory]
    [InlineData(1, false, true)]
    [InlineData(3, false, false)]
    [InlineData(3, true, true)]
    public void JoinTable_EventTime_RandomInputs_EqualTheVersionValidAtEachRecordsTime(int parallelism, bool rocksDb, bool inner)
    {
        var tableGen = Gen.Select(Gen.Int[0, 2], Gen.Long[0, 2000], Gen.Long[0, Bound], Gen.Int[0, 5]).Array[0, 60];
        var streamGen = Gen.Select(Gen.Int[0, 3], Gen.Long[0, 2000], Gen.Long[0, Bound]).Array[0, 60];
        Gen.Select(tableGen, streamGen).Sample(
            (tableOps, streamOps) =>
            {
                // Arrival order is event time plus a jitter within the watermark bound, so nothing is late.
                var current = new Dictionary<string, string>();
                var tableChanges = new List<(Change<KeyValuePair<string, string>> Change, long Time)>();
                foreach (var (key, time, _, value) in tableOps.OrderBy(o => o.Item2 + o.Item3))
                {
                    var k = "k" + key;
                    var had = current.TryGetValue(k, out var old);
                    if (value == 0)
                    {
                        if (had)
                        {
                            tableChanges.Add((Change.Delete(KeyValuePair.Create(k, old!)), time));
                            current.Remove(k);
                        }

                        continue;
                    }

                    var v = "v" + value;
                    if (had)
                    {
                        tableChanges.Add((Change.UpdateBefore(KeyValuePair.Create(k, old!)), time));
                        tableChanges.Add((Change.UpdateAfter(KeyValuePair.Create(k, v)), time));
                    }
                    else
                    {
                        tableChanges.Add((Change.Insert(KeyValuePair.Create(k, v)), time));
                    }

                    current[k] = v;
                }

                var records = streamOps.Select((s, i) => (Event: new Ev("k" + s.Item1, s.Item2, i), Order: s.Item2 + s.Item3)).OrderBy(x => x.Order).Select(x => x.Event).ToList();
                var expected = new List<string>();
                foreach (var record in records)
                {
                    // The latest change at or before the record's time; among equal times the last to arrive.
                    var version = tableChanges.Where(c => c.Change.Row.Key == record.Key && c.Time <= record.Time && c.Change.Kind != RowKind.UpdateBefore)
                        .Select((c, index) => (c.Change, c.Time, index))
                        .OrderBy(c => c.Time).ThenBy(c => c.index)
                        .LastOrDefault();
                    var row = version.Change.Kind is RowKind.Insert or RowKind.UpdateAfter && version.Change.Row.Key is not null ? version.Change.Row.Value : null;
                    if (row is not null || !inner)
                    {
                        expected.Add($"{record.Value}:{row}");
                    }
                }

                var env = Environment(parallelism, rocksDb);
                var table = VersionedTable(env, tableChanges);
                var stream = env.FromCollection(records, EventTime<Ev>(e => e.Time));
                var options = new StreamTableJoinOptions { Time = TemporalJoinTime.EventTime };
                var sink = new CollectingSink<string>();
                (inner
                        ? stream.JoinTable(table, e => e.Key, (e, row) => $"{e.Value}:{row}", options)
                        : stream.LeftJoinTable(table, e => e.Key, (e, row) => $"{e.Value}:{row}", options))
                    .SinkTo(sink);
                JobRunner.RunAsync(env).GetAwaiter().GetResult();
                Assert.Equal(expected.Order(StringComparer.Ordinal), sink.Results.Order(StringComparer.Ordinal));
            },
            iter: rocksDb ? 5 : 12,
            threads: 1);
    }

    private StreamEnvironment Environment(int parallelism, bool rocksDb) => StreamEnvironment.Create(new StreamEnvironmentOptions
    {
        Parallelism = parallelism,
        StateBackend = rocksDb ? StateBackend.RocksDb(_directory) : StateBackend.Heap,
    });

    private static WatermarkStrategy<T> EventTime<T>(Func<T, long> time) =>
        WatermarkStrategy.ForBoundedOutOfOrderness<T>(TimeSpan.FromMilliseconds(Bound)).WithTimestampAssigner((e, _) => time(e));

    /// <summary>A table whose changes carry the given event times (in the order given, which is arrival order). The map
    /// that drops the times runs in the source's one subtask, so each key's changes stay in order.</summary>
    private static Table<string, string> VersionedTable(StreamEnvironment env, IEnumerable<(Change<KeyValuePair<string, string>> Change, long Time)> changes) =>
        new(env.FromCollection(changes.ToList(), EventTime<(Change<KeyValuePair<string, string>> Change, long Time)>(c => c.Time), "versioned table").Map(c => c.Change).SetParallelism(1));

    private static DrivenCoProcess<string, Ev, Change<KeyValuePair<string, string>>, string> Driven(bool inner) =>
        new(
            new ProcessingTimeTableJoinFunction<string, Ev, string, string>(inner, (e, row) => $"{e.Value}:{row}", StreamTableJoinOptions.Default),
            e => e.Key,
            c => c.Row.Key,
            StateBackend.Heap,
            new ManualClock(0));
}
