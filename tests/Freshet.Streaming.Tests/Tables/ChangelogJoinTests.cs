using CsCheck;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;
using Freshet.Streaming.Tests.TestSupport;
using static Freshet.Streaming.Tests.Tables.JoinTestSupport;

namespace Freshet.Streaming.Tests.Tables;

/// <summary>
/// The changelog join (<see cref="ChangelogJoinExtensions.JoinChanges{TKey, TLeft, TRight, TOut}"/>) against a direct
/// computation: in real jobs on random changelogs of both sides, the output materialises (never withdrawing a row it
/// has not emitted) to the join of the two final multisets; driven one record at a time in a random interleaving, it
/// equals the join of the two prefixes after every record.
/// </summary>
public sealed class ChangelogJoinTests : IDisposable
{
    private static readonly Func<JoinLeft, JoinRight, bool> ValueAtMostRight = static (l, r) => l.Value <= r.Value;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-changelog-join-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(ChangelogJoinType.Inner, 1, false)]
    [InlineData(ChangelogJoinType.Left, 1, false)]
    [InlineData(ChangelogJoinType.Right, 3, false)]
    [InlineData(ChangelogJoinType.Full, 3, false)]
    [InlineData(ChangelogJoinType.Inner, 3, true)]
    [InlineData(ChangelogJoinType.Full, 2, true)]
    [InlineData(ChangelogJoinType.Semi, 1, false)]
    [InlineData(ChangelogJoinType.Anti, 3, false)]
    [InlineData(ChangelogJoinType.Semi, 2, true)]
    [InlineData(ChangelogJoinType.Anti, 2, true)]
    public void JoinChanges_RandomChangelogsInAJob_MaterialiseToTheDirectJoin(ChangelogJoinType type, int parallelism, bool rocksDb)
    {
        Gen.Select(Changelog((k, v) => new JoinLeft(k, v)), Changelog((k, v) => new JoinRight(k, v)), Gen.Bool).Sample(
            (left, right, withCondition) =>
            {
                var condition = withCondition ? ValueAtMostRight : null;
                var env = StreamEnvironment.Create(new StreamEnvironmentOptions
                {
                    Parallelism = parallelism,
                    StateBackend = rocksDb ? StateBackend.RocksDb(_directory) : StateBackend.Heap,
                });
                var sink = new CollectingSink<Change<string>>();
                env.FromCollection(left).KeyBy(c => c.Row.Key)
                    .JoinChanges(env.FromCollection(right).KeyBy(c => c.Row.Key), type, Combine, condition)
                    .SinkTo(sink);
                JobRunner.RunAsync(env).GetAwaiter().GetResult();

                Assert.All(sink.Results, c => Assert.True(c.Kind is RowKind.Insert or RowKind.Delete, c.ToString()));
                Assert.Equal(DirectJoin(left, right, type, condition), Expand(Materialize(sink.Results)));
            },
            iter: rocksDb ? 6 : 15,
            threads: 1);
    }

    [Theory]
    [InlineData(ChangelogJoinType.Inner)]
    [InlineData(ChangelogJoinType.Left)]
    [InlineData(ChangelogJoinType.Right)]
    [InlineData(ChangelogJoinType.Full)]
    [InlineData(ChangelogJoinType.Semi)]
    [InlineData(ChangelogJoinType.Anti)]
    public void JoinChanges_RecordByRecordInARandomInterleaving_EqualsTheDirectJoinOfEveryPrefix(ChangelogJoinType type)
    {
        Gen.Select(Changelog((k, v) => new JoinLeft(k, v)), Changelog((k, v) => new JoinRight(k, v)), Gen.Bool.Array[120], Gen.Bool).Sample(
            (left, right, order, withCondition) =>
            {
                var condition = withCondition ? ValueAtMostRight : null;
                using var join = new DrivenCoProcess<int, Change<JoinLeft>, Change<JoinRight>, Change<string>>(
                    new ChangelogJoinFunction<int, JoinLeft, JoinRight, string>(type, Combine, condition, new ChangelogJoinOptions<JoinLeft, JoinRight>()),
                    c => c.Row.Key,
                    c => c.Row.Key,
                    StateBackend.Heap,
                    new ManualClock(0));
                int l = 0, r = 0, step = 0;
                while (l < left.Count || r < right.Count)
                {
                    if (r == right.Count || (l < left.Count && order[step++ % order.Length]))
                    {
                        join.First(left[l++]);
                    }
                    else
                    {
                        join.Second(right[r++]);
                    }

                    Assert.Equal(DirectJoin(left.Take(l), right.Take(r), type, condition), Expand(Materialize(join.Output.Select(o => o.Value))));
                }
            },
            iter: 150,
            threads: 1);
    }

    [Fact]
    public void JoinChanges_FullJoin_WithdrawsAPaddedRowOnItsFirstMatchAndReemitsItAfterItsLast()
    {
        using var join = new DrivenCoProcess<int, Change<JoinLeft>, Change<JoinRight>, Change<string>>(
            new ChangelogJoinFunction<int, JoinLeft, JoinRight, string>(ChangelogJoinType.Full, Combine, null, new ChangelogJoinOptions<JoinLeft, JoinRight>()),
            c => c.Row.Key,
            c => c.Row.Key,
            StateBackend.Heap,
            new ManualClock(0));
        join.First(Change.Insert(new JoinLeft(1, 10)));
        join.Second(Change.Insert(new JoinRight(1, 20)));
        join.Second(Change.Insert(new JoinRight(1, 21)));
        join.Second(Change.Delete(new JoinRight(1, 20)));
        join.Second(Change.UpdateBefore(new JoinRight(1, 21)));
        join.Second(Change.UpdateAfter(new JoinRight(1, 22)));
        join.First(Change.Delete(new JoinLeft(1, 10)));

        Assert.Equal(
            ["+I[1:10|-]", "-D[1:10|-]", "+I[1:10|20]", "+I[1:10|21]", "-D[1:10|20]", "-D[1:10|21]", "+I[1:10|-]", "-D[1:10|-]", "+I[1:10|22]", "-D[1:10|22]", "+I[1:-|22]"],
            join.Output.Select(o => o.Value.ToString()));
    }

    [Fact]
    public void JoinChanges_SemiAndAnti_EmitALeftRowOncePerCopyAsItGainsItsFirstMatchAndLosesItsLast()
    {
        foreach (var type in new[] { ChangelogJoinType.Semi, ChangelogJoinType.Anti })
        {
            using var join = new DrivenCoProcess<int, Change<JoinLeft>, Change<JoinRight>, Change<string>>(
                new ChangelogJoinFunction<int, JoinLeft, JoinRight, string>(type, Combine, null, new ChangelogJoinOptions<JoinLeft, JoinRight>()),
                c => c.Row.Key,
                c => c.Row.Key,
                StateBackend.Heap,
                new ManualClock(0));
            join.First(Change.Insert(new JoinLeft(1, 10)));
            join.First(Change.Insert(new JoinLeft(1, 10)));
            join.Second(Change.Insert(new JoinRight(1, 20)));
            join.Second(Change.Insert(new JoinRight(1, 21)));
            join.Second(Change.Delete(new JoinRight(1, 20)));
            join.Second(Change.UpdateBefore(new JoinRight(1, 21)));
            join.First(Change.Delete(new JoinLeft(1, 10)));

            string[] expected = type == ChangelogJoinType.Semi
                ? ["+I[1:10|-]", "+I[1:10|-]", "-D[1:10|-]", "-D[1:10|-]"]
                : ["+I[1:10|-]", "+I[1:10|-]", "-D[1:10|-]", "-D[1:10|-]", "+I[1:10|-]", "+I[1:10|-]", "-D[1:10|-]"];
            Assert.Equal(expected, join.Output.Select(o => o.Value.ToString()));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void JoinChanges_WithStateTtl_ExpiredRowsLeaveWithoutOutput(bool rocksDb)
    {
        var clock = new ManualClock(1_000);
        var options = new ChangelogJoinOptions<JoinLeft, JoinRight> { StateTtl = new StateTtlConfig(TimeSpan.FromSeconds(10)) };
        using var join = new DrivenCoProcess<int, Change<JoinLeft>, Change<JoinRight>, Change<string>>(
            new ChangelogJoinFunction<int, JoinLeft, JoinRight, string>(ChangelogJoinType.Inner, Combine, null, options),
            c => c.Row.Key,
            c => c.Row.Key,
            rocksDb ? StateBackend.RocksDb(_directory) : StateBackend.Heap,
            clock);
        join.First(Change.Insert(new JoinLeft(1, 10)));
        join.First(Change.Insert(new JoinLeft(2, 10)));
        clock.NowMs += 5_000;
        join.Second(Change.Insert(new JoinRight(1, 20)));
        clock.NowMs += 6_000;

        // Left row 2 was written 11 s ago: expired, so the right row 2 finds nothing; left row 1 expired too, but
        // right row 1 (6 s old) is still there for the new left row 1.
        join.Second(Change.Insert(new JoinRight(2, 20)));
        join.First(Change.Insert(new JoinLeft(1, 11)));
        Assert.Equal(["+I[1:10|20]", "+I[1:11|20]"], join.Output.Select(o => o.Value.ToString()));
    }
}
