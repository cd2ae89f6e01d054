using CsCheck;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.Tables;

/// <summary>
/// Aggregations into tables, in real jobs: <c>AggregateChanges</c>'s emission rules, table <c>GroupBy</c> with rows
/// moving between groups (heap and RocksDB), a property test of random upserts grouped and summed against a direct
/// computation, stream aggregation into a table, and table filters and value maps.
/// </summary>
public sealed class TableAggregationTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-table-agg-" + Guid.NewGuid().ToString("N"));

    public TableAggregationTests()
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
    public async Task AggregateChanges_AdditionsAndWithdrawals_EmitsInsertUpdatePairsAndDeleteOfLastResult()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var sink = new CollectingSink<Change<KeyValuePair<string, long>>>();
        Change<(string Group, long Value)>[] changes =
        [
            Change.Delete(("x", 5L)),        // withdrawal of a group without state: ignored
            Change.Insert(("g", 5L)),        // +I[g, 5]
            Change.Insert(("g", 0L)),        // sum unchanged: nothing
            Change.UpdateBefore(("g", 5L)),  // -U[g, 5], +U[g, 0]
            Change.UpdateAfter(("g", 7L)),   // -U[g, 0], +U[g, 7]
            Change.Delete(("g", 0L)),        // sum unchanged, one row left: nothing
            Change.Delete(("g", 7L)),        // last row: -D[g, 7]
            Change.Insert(("g", 1L)),        // a new group: +I[g, 1]
        ];
        env.FromCollection(changes)
            .KeyBy(c => c.Row.Group)
            .AggregateChanges(new Sum<(string Group, long Value)>(r => r.Value), (group, sum) => new KeyValuePair<string, long>(group, sum), Serializers.Int64)
            .SinkTo(sink);
        await JobRunner.RunAsync(env);

        Assert.Equal(["+I[g, 5]", "-U[g, 5]", "+U[g, 0]", "-U[g, 0]", "+U[g, 7]", "-D[g, 7]", "+I[g, 1]"], Changelogs.Format(sink.Results));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GroupByCount_RowsMovingBetweenGroups_RetractFromOldGroupAndAddToNew(bool rocksDb)
    {
        // Parallelism 1: with more subtasks the changes of rows on different normaliser subtasks may reach a group in
        // another order (the end result is the same, the intermediate results differ).
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 1,
            StateBackend = rocksDb ? StateBackend.RocksDb(Path.Combine(_root, "rocks")) : StateBackend.Heap,
        });
        var sink = new CollectingSink<Change<KeyValuePair<string, long>>>();
        KeyValuePair<string, string?>[] userCities =
        [
            new("u1", "Oslo"), new("u2", "Oslo"), new("u3", "Rome"),
            new("u1", "Rome"),   // Oslo 2 → 1, Rome 1 → 2
            new("u2", null),     // Oslo's last row: deleted
            new("u3", "Paris"),  // Rome 2 → 1, Paris +I
        ];
        var byCity = env.FromCollection(userCities)
            .ToTable()
            .GroupBy((user, city) => new KeyValuePair<string, string>(city!, user))
            .Count();
        byCity.ToChangelogStream().SinkTo(sink);
        await JobRunner.RunAsync(env);

        var changes = sink.TimestampedResults;
        Assert.Equal(new Dictionary<string, long> { ["Rome"] = 1, ["Paris"] = 1 }, Changelogs.Materialize(changes));
        var byGroup = changes.Select(c => c.Value).GroupBy(c => c.Row.Key).ToDictionary(g => g.Key, g => Changelogs.Format(g));
        Assert.Equal(["+I[Oslo, 1]", "-U[Oslo, 1]", "+U[Oslo, 2]", "-U[Oslo, 2]", "+U[Oslo, 1]", "-D[Oslo, 1]"], byGroup["Oslo"]);
        Assert.Equal(["+I[Rome, 1]", "-U[Rome, 1]", "+U[Rome, 2]", "-U[Rome, 2]", "+U[Rome, 1]"], byGroup["Rome"]);
        Assert.Equal(["+I[Paris, 1]"], byGroup["Paris"]);
    }

    /// <summary>Upserts of 6 keys with values 0-9; a null value (one in eleven) deletes the key.</summary>
    private static readonly Gen<(string Key, int? Value)[]> Upserts =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 10]).Select(x => ("k" + x.Item1, x.Item2 == 10 ? (int?)null : x.Item2)).Array[0, 150];

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(2, true)]
    public void GroupBySum_RandomUpsertsAndDeletes_EveryPrefixEqualsDirectGroupSums(int parallelism, bool rocksDb)
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
                var sink = new CollectingSink<Change<KeyValuePair<int, long>>>();
                var indexed = upserts.Select((u, i) => (Index: (long)i, u.Key, u.Value)).ToArray();
                env.FromCollection(indexed, WatermarkStrategy.ForMonotonousTimestamps<(long Index, string Key, int? Value)>().WithTimestampAssigner((u, _) => u.Index))
                    .Map(u => new KeyValuePair<string, int?>(u.Key, u.Value))
                    .SetParallelism(1)
                    .ToTable()
                    .GroupBy((key, value) => new KeyValuePair<int, int>(value!.Value % 3, value.Value))
                    .Aggregate(new Sum<int>(v => v), Serializers.Int64)
                    .ToChangelogStream()
                    .SinkTo(sink);
                JobRunner.RunAsync(env).GetAwaiter().GetResult();

                // With one subtask each group sees the input's changes in input order, so the table after the changes
                // of input i is the table of the first i + 1 upserts. With more, the changes of rows normalised on
                // different subtasks reach a group interleaved in any order: only the final table is determined.
                var changes = sink.TimestampedResults;
                var rows = new Dictionary<string, int>();
                for (var i = 0; i < upserts.Length; i++)
                {
                    if (upserts[i].Value is { } value)
                    {
                        rows[upserts[i].Key] = value;
                    }
                    else
                    {
                        rows.Remove(upserts[i].Key);
                    }

                    if (parallelism == 1 || i == upserts.Length - 1)
                    {
                        var expected = rows.Values.GroupBy(v => v % 3).ToDictionary(g => g.Key, g => (long)g.Sum());
                        Assert.Equal(expected, Changelogs.Materialize(changes, upToTimestamp: parallelism == 1 ? i : long.MaxValue));
                    }
                }

                if (upserts.Length == 0)
                {
                    Assert.Empty(changes);
                }
            },
            iter: rocksDb ? 5 : 15,
            threads: 1);
    }

    [Fact]
    public async Task AggregateToTableAndCountToTable_KeyedStream_InsertThenUpdatePerKey()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var sums = new CollectingSink<Change<KeyValuePair<string, long>>>();
        var counts = new CollectingSink<Change<KeyValuePair<string, long>>>();
        var events = env.FromCollection(new[] { new Ev("a", 1, 5), new Ev("b", 2, 1), new Ev("a", 3, 0), new Ev("a", 4, 2) });
        events.KeyBy(e => e.Key).AggregateToTable(new Sum<Ev>(e => e.Value), Serializers.Int64).ToChangelogStream().SinkTo(sums);
        events.KeyBy(e => e.Key).CountToTable().ToChangelogStream().SinkTo(counts);
        await JobRunner.RunAsync(env);

        var sumsOfA = Changelogs.Format(sums.Results.Where(c => c.Row.Key == "a"));
        Assert.Equal(["+I[a, 5]", "-U[a, 5]", "+U[a, 7]"], sumsOfA);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 7, ["b"] = 1 }, Changelogs.Materialize(sums.TimestampedResults));
        Assert.Equal(new Dictionary<string, long> { ["a"] = 3, ["b"] = 1 }, Changelogs.Materialize(counts.TimestampedResults));
    }

    [Fact]
    public async Task Filter_RowsStartingAndStoppingToPass_InsertsAndDeletes()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var sink = new CollectingSink<Change<KeyValuePair<string, int?>>>();
        KeyValuePair<string, int?>[] upserts =
        [
            new("a", 5),     // fails: nothing
            new("a", 15),    // starts passing: +I
            new("a", 20),    // both pass: -U, +U
            new("a", 3),     // stops passing: -D of the old row
            new("a", null),  // delete of a row that did not pass: nothing
            new("b", 11),    // +I
            new("b", null),  // -D
        ];
        env.FromCollection(upserts).ToTable().Filter((_, v) => v > 10).ToChangelogStream().SinkTo(sink);
        await JobRunner.RunAsync(env);

        Assert.Equal(["+I[a, 15]", "-U[a, 15]", "+U[a, 20]", "-D[a, 20]", "+I[b, 11]", "-D[b, 11]"], Changelogs.Format(sink.Results));
    }

    [Fact]
    public async Task FilterAndMapValues_ChangesSplitAcrossBatches_StayNormalised()
    {
        // One record per batch: every -U/+U pair straddles an output batch boundary of the normaliser.
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<Change<KeyValuePair<string, string>>>();
        var upserts = Enumerable.Range(0, 200).Select(i => new KeyValuePair<string, int?>("k" + (i % 7), i % 5 == 4 ? null : i % 13)).ToArray();
        env.FromCollection(upserts, WatermarkStrategy.ForMonotonousTimestamps<KeyValuePair<string, int?>>().WithTimestampAssigner((_, _) => 0))
            .ToTable()
            .Filter((_, v) => v % 2 == 0)
            .MapValues((k, v) => $"{k}={v}")
            .ToChangelogStream()
            .SinkTo(sink);
        await JobRunner.RunAsync(env);

        var expected = new Dictionary<string, string>();
        foreach (var (key, value) in upserts)
        {
            if (value is { } v && v % 2 == 0)
            {
                expected[key] = $"{key}={v}";
            }
            else
            {
                expected.Remove(key);
            }
        }

        Assert.Equal(expected, Changelogs.Materialize(sink.TimestampedResults));
    }

    /// <summary>Sums a long taken from each row; retracts by subtraction.</summary>
    private sealed class Sum<T>(Func<T, long> value) : IRetractableAggregateFunction<T, long, long>
    {
        public long CreateAccumulator() => 0;

        public long Add(T row, long accumulator) => accumulator + value(row);

        public long Retract(T row, long accumulator) => accumulator - value(row);

        public long GetResult(long accumulator) => accumulator;

        public long Merge(long a, long b) => a + b;
    }
}
