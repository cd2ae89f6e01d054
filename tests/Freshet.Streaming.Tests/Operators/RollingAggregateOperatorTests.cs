using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Keys;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.Operators;

/// <summary>
/// The rolling aggregate operator driven directly: its accumulators live in the job's state backend, checkpoint under
/// that backend's section, and a checkpoint of the layout it wrote when it kept them in a dictionary of its own is
/// still restored, into either backend.
/// </summary>
public sealed class RollingAggregateOperatorTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-rolling-" + Guid.NewGuid().ToString("N"));
    private readonly ProcessingTimeService _processingTime = new(new ManualClock(0));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("heap", "state:accumulators")]
    [InlineData("rocksdb", "rocksdb:accumulators")]
    public void SnapshotState_RestoreAtAnotherParallelism_SumsContinueInTheKeysOwners(string backend, string section)
    {
        var keys = Enumerable.Range(0, 30).Select(k => "k" + k).ToArray();
        var (first, firstOut) = Create(backend, 0, 1, null);
        OperatorSetups.Feed(first, keys.Select(k => (new Ev(k, 0, 5), 0L)));
        var sections = first.SnapshotState(1)!();
        first.Close();
        Assert.Equal([section], sections.Select(s => s.Name));
        Assert.Equal(30, firstOut.Records.Count);

        var restored = new RestoredOperatorState(1, [sections.ToDictionary(s => s.Name, s => s.Bytes)]);
        AssertContinues(backend, restored, keys);
    }

    [Theory]
    [InlineData("heap")]
    [InlineData("rocksdb")]
    public void RestoreState_DictionaryLayoutSection_SumsContinueInTheKeysOwners(string backend)
    {
        var keys = Enumerable.Range(0, 30).Select(k => "k" + k).ToArray();
        var dictionary = keys.Select(k => KeyValuePair.Create(k, 5L));
        var bytes = KeyGroupedStateSnapshot.Serialize(KeyGroupedStateSnapshot.Capture(dictionary, 128), 128, Serializers.Default<string>(), Serializers.Default<long>());
        var restored = new RestoredOperatorState(1, [new Dictionary<string, byte[]> { ["accumulators"] = bytes }]);
        AssertContinues(backend, restored, keys);
    }

    /// <summary>Restores <paramref name="restored"/> (every key summed to 5) into two subtasks and adds 1 per key: owners continue at 6, the others start at 1.</summary>
    private void AssertContinues(string backend, RestoredOperatorState restored, string[] keys)
    {
        for (var subtask = 0; subtask < 2; subtask++)
        {
            var (op, output) = Create(backend, subtask, 2, restored);
            op.RestoreState(restored);
            OperatorSetups.Feed(op, keys.Select(k => (new Ev(k, 1, 1), 1L)));
            var (groupFirst, groupLast) = KeyGroups.RangeOf(subtask, 128, 2);
            var expected = keys.Select(k => KeyGroups.Of(KeyHash<string>.Of(k), 128) is var g && g >= groupFirst && g <= groupLast ? 6L : 1L);
            Assert.Equal(expected, output.Records.Select(r => r.Value));
            op.Close();
        }
    }

    private (RollingAggregateOperator<string, Ev, long, long> Operator, CollectingOperator<long> Output) Create(string backend, int subtask, int parallelism, RestoredOperatorState? restored)
    {
        var setup = OperatorSetups.For(backend == "heap" ? StateBackend.Heap : StateBackend.RocksDb(_directory), _processingTime, "rolling", subtask, parallelism, restored);
        var output = new CollectingOperator<long>(setup);
        return (new RollingAggregateOperator<string, Ev, long, long>(setup, static e => e.Key, static e => e.Value, static (e, sum) => sum + e.Value, static sum => sum, output), output);
    }
}
