using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.Tables;

/// <summary>
/// Time-to-live of table state, driving the operators directly on a manual clock (on both backends): an expired group
/// ignores the withdrawal of a row it no longer holds and starts again with an insert; an expired normaliser key
/// starts again with an insert, and an equal value restarts its time-to-live.
/// </summary>
public sealed class TableStateTtlTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-table-ttl-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new(10_000);

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AggregateChanges_GroupStateExpired_WithdrawalIgnoredAndNextRowInserts(bool rocksDb)
    {
        var setup = OperatorSetups.For(Backend(rocksDb), new ProcessingTimeService(_clock));
        var output = new CollectingOperator<Change<KeyValuePair<string, long>>>(setup);
        var op = new ChangelogAggregateOperator<string, (string Group, long Value), long, long, KeyValuePair<string, long>>(
            setup, c => c.Row.Group, new LongSum(), Serializers.Int64, (group, sum) => new(group, sum), new StateTtlConfig(TimeSpan.FromSeconds(1)), output);
        try
        {
            OperatorSetups.Feed(op, [(Change.Insert(("g", 5L)), 1), (Change.Insert(("g", 2L)), 2)]);
            _clock.NowMs += 1_500;
            OperatorSetups.Feed(op, [(Change.Delete(("g", 5L)), 3), (Change.Insert(("g", 4L)), 4)]);

            Assert.Equal(["+I[g, 5]", "-U[g, 5]", "+U[g, 7]", "+I[g, 4]"], Changelogs.Format(output.Records.Select(r => r.Value)));
        }
        finally
        {
            op.Close();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UpsertNormalize_KeyExpired_NextValueInsertsAndEqualValueRestartsTheTimeToLive(bool rocksDb)
    {
        var setup = OperatorSetups.For(Backend(rocksDb), new ProcessingTimeService(_clock));
        var output = new CollectingOperator<Change<KeyValuePair<string, string>>>(setup);
        var op = new UpsertNormalizeOperator<string, string>(setup, Serializers.Utf8String, new StateTtlConfig(TimeSpan.FromSeconds(1)), output);
        try
        {
            OperatorSetups.Feed(op, [(new UpsertRecord<string, string>("a", true, "1"), 1), (new UpsertRecord<string, string>("b", true, "1"), 1)]);
            _clock.NowMs += 800;
            OperatorSetups.Feed(op, [(new UpsertRecord<string, string>("a", true, "1"), 2)]);
            _clock.NowMs += 800;

            // "a" was rewritten 800 ms ago and lives; "b" was written 1600 ms ago and expired.
            OperatorSetups.Feed(op, [(new UpsertRecord<string, string>("a", true, "2"), 3), (new UpsertRecord<string, string>("b", true, "2"), 3), (new UpsertRecord<string, string>("b", false, null!), 4)]);

            Assert.Equal(["+I[a, 1]", "+I[b, 1]", "-U[a, 1]", "+U[a, 2]", "+I[b, 2]", "-D[b, 2]"], Changelogs.Format(output.Records.Select(r => r.Value)));
        }
        finally
        {
            op.Close();
        }
    }

    private StateBackend Backend(bool rocksDb) => rocksDb ? StateBackend.RocksDb(_root) : StateBackend.Heap;

    private sealed class LongSum : Functions.IRetractableAggregateFunction<(string Group, long Value), long, long>
    {
        public long CreateAccumulator() => 0;

        public long Add((string Group, long Value) value, long accumulator) => accumulator + value.Value;

        public long Retract((string Group, long Value) value, long accumulator) => accumulator - value.Value;

        public long GetResult(long accumulator) => accumulator;

        public long Merge(long a, long b) => a + b;
    }
}
