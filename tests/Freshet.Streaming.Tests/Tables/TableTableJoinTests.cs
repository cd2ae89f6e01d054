using CsCheck;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;
using Freshet.Streaming.Tests.TestSupport;
using static Freshet.Streaming.Tests.Tables.JoinTestSupport;

namespace Freshet.Streaming.Tests.Tables;

/// <summary>
/// Table–table joins on the key (Kafka Streams' KTable–KTable join semantics): in jobs on random normalised
/// changelogs of both tables, the output is normalised per key and ends as the join of the two final tables; driven
/// record by record, updates and deletes of either side give the expected -U/+U pairs and -D.
/// </summary>
public sealed class TableTableJoinTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-table-join-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("inner", 1, false)]
    [InlineData("left", 3, false)]
    [InlineData("outer", 3, false)]
    [InlineData("outer", 2, true)]
    public void Join_RandomTablesInAJob_NormalisedAndEndingAsTheJoinOfTheFinalTables(string kind, int parallelism, bool rocksDb)
    {
        Gen.Select(TableChangelog(), TableChangelog()).Sample(
            (leftChanges, rightChanges) =>
            {
                var env = StreamEnvironment.Create(new StreamEnvironmentOptions
                {
                    Parallelism = parallelism,
                    StateBackend = rocksDb ? StateBackend.RocksDb(_directory) : StateBackend.Heap,
                });
                var left = TableOf(env, leftChanges, name: "left");
                var right = TableOf(env, rightChanges, name: "right");
                var joined = kind switch
                {
                    "inner" => left.Join(right, (l, r) => $"{l}|{r}"),
                    "left" => left.LeftJoin(right, (l, r) => $"{l}|{r}"),
                    _ => left.OuterJoin(right, (l, r) => $"{l}|{r}"),
                };
                var sink = new CollectingSink<Change<KeyValuePair<int, string>>>();
                joined.ToChangelogStream().SinkTo(sink);
                JobRunner.RunAsync(env).GetAwaiter().GetResult();

                var finalLeft = MaterializeTable(leftChanges);
                var finalRight = MaterializeTable(rightChanges);
                var expected = new Dictionary<int, string>();
                foreach (var key in finalLeft.Keys.Union(finalRight.Keys))
                {
                    var hasLeft = finalLeft.TryGetValue(key, out var l);
                    var hasRight = finalRight.TryGetValue(key, out var r);
                    if ((hasLeft && hasRight) || (kind == "left" && hasLeft) || kind == "outer")
                    {
                        expected[key] = $"{(hasLeft ? l : null)}|{(hasRight ? r : null)}";
                    }
                }

                Assert.Equal(expected.OrderBy(e => e.Key), MaterializeTable(sink.Results).OrderBy(e => e.Key));
            },
            iter: rocksDb ? 5 : 12,
            threads: 1);
    }

    [Fact]
    public void Join_UpdatesAndDeletesOfEitherSide_EmitNormalisedChanges()
    {
        using var join = Driven(ChangelogJoinType.Inner);
        join.First(Change.Insert(KeyValuePair.Create(1, "a")));
        join.Second(Change.Insert(KeyValuePair.Create(1, "x")));
        join.First(Change.UpdateBefore(KeyValuePair.Create(1, "a")));
        join.First(Change.UpdateAfter(KeyValuePair.Create(1, "b")));
        join.Second(Change.UpdateBefore(KeyValuePair.Create(1, "x")));
        join.Second(Change.UpdateAfter(KeyValuePair.Create(1, "y")));
        join.Second(Change.Delete(KeyValuePair.Create(1, "y")));
        join.First(Change.Delete(KeyValuePair.Create(1, "b")));
        join.Second(Change.Insert(KeyValuePair.Create(1, "z")));

        Assert.Equal(
            ["+I[[1, a|x]]", "-U[[1, a|x]]", "+U[[1, b|x]]", "-U[[1, b|x]]", "+U[[1, b|y]]", "-D[[1, b|y]]"],
            join.Output.Select(o => o.Value.ToString()));
    }

    [Fact]
    public void LeftJoin_RightRowComingAndGoing_UpdatesTheResultWhichLivesWithTheLeftRow()
    {
        using var join = Driven(ChangelogJoinType.Left);
        join.Second(Change.Insert(KeyValuePair.Create(1, "x")));
        join.First(Change.Insert(KeyValuePair.Create(2, "c")));
        join.First(Change.Insert(KeyValuePair.Create(1, "a")));
        join.Second(Change.Delete(KeyValuePair.Create(1, "x")));
        join.First(Change.Delete(KeyValuePair.Create(1, "a")));

        Assert.Equal(
            ["+I[[2, c|]]", "+I[[1, a|x]]", "-U[[1, a|x]]", "+U[[1, a|]]", "-D[[1, a|]]"],
            join.Output.Select(o => o.Value.ToString()));
    }

    [Fact]
    public void OuterJoin_EitherSideAlone_HasAResultUntilBothAreDeleted()
    {
        using var join = Driven(ChangelogJoinType.Full);
        join.Second(Change.Insert(KeyValuePair.Create(1, "x")));
        join.First(Change.Insert(KeyValuePair.Create(1, "a")));
        join.Second(Change.Delete(KeyValuePair.Create(1, "x")));
        join.First(Change.Delete(KeyValuePair.Create(1, "a")));

        Assert.Equal(
            ["+I[[1, |x]]", "-U[[1, |x]]", "+U[[1, a|x]]", "-U[[1, a|x]]", "+U[[1, a|]]", "-D[[1, a|]]"],
            join.Output.Select(o => o.Value.ToString()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Join_WithStateTtl_AnExpiredSideJoinsAsAbsent(bool rocksDb)
    {
        var clock = new ManualClock(1_000);
        using var join = new DrivenCoProcess<int, Change<KeyValuePair<int, string>>, Change<KeyValuePair<int, string>>, Change<KeyValuePair<int, string>>>(
            new TableTableJoinFunction<int, string, string, string>(ChangelogJoinType.Inner, (l, r) => $"{l}|{r}", new TableJoinOptions { StateTtl = new StateTtlConfig(TimeSpan.FromSeconds(10)) }),
            c => c.Row.Key,
            c => c.Row.Key,
            rocksDb ? StateBackend.RocksDb(_directory) : StateBackend.Heap,
            clock);
        join.First(Change.Insert(KeyValuePair.Create(1, "a")));
        join.First(Change.Insert(KeyValuePair.Create(2, "b")));
        clock.NowMs += 5_000;
        join.Second(Change.Insert(KeyValuePair.Create(1, "x")));
        clock.NowMs += 6_000;

        // Left 2 (written 11 s ago) expired: the right row finds nothing. Key 1's left row expired too, but its result
        // (written 6 s ago) has not: the update of the right finds no left row and deletes the result.
        join.Second(Change.Insert(KeyValuePair.Create(2, "y")));
        join.Second(Change.UpdateBefore(KeyValuePair.Create(1, "x")));
        join.Second(Change.UpdateAfter(KeyValuePair.Create(1, "z")));
        Assert.Equal(["+I[[1, a|x]]", "-D[[1, a|x]]"], join.Output.Select(o => o.Value.ToString()));
    }

    private static DrivenCoProcess<int, Change<KeyValuePair<int, string>>, Change<KeyValuePair<int, string>>, Change<KeyValuePair<int, string>>> Driven(ChangelogJoinType type) =>
        new(
            new TableTableJoinFunction<int, string, string, string>(type, (l, r) => $"{l}|{r}", TableJoinOptions.Default),
            c => c.Row.Key,
            c => c.Row.Key,
            StateBackend.Heap,
            new ManualClock(0));
}
