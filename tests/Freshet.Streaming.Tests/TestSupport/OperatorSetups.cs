using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.State;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>Operator subtasks built by hand, as the planner builds them, for tests that drive one operator directly.</summary>
internal static class OperatorSetups
{
    /// <summary>Subtask <paramref name="subtask"/> of <paramref name="parallelism"/> of an operator on <paramref name="backend"/>, 128 key groups.</summary>
    public static OperatorSetup For(StateBackend backend, ProcessingTimeService processingTime, string name = "op", int subtask = 0, int parallelism = 1, RestoredOperatorState? restored = null) => new()
    {
        Name = name,
        SubtaskIndex = subtask,
        Parallelism = parallelism,
        MaxParallelism = 128,
        BatchSize = 16,
        ProcessingTime = processingTime,
        StateBackend = backend,
        Restored = restored,
    };

    /// <summary>Hands <paramref name="records"/> (value, event time) to <paramref name="op"/> in batches of 16, as a task does.</summary>
    public static void Feed<T>(Operator<T> op, IEnumerable<(T Value, long Timestamp)> records)
    {
        var batch = new StreamBatch<T>(16);
        foreach (var (value, timestamp) in records)
        {
            batch.Add(value, timestamp);
            if (batch.IsFull)
            {
                op.Process(batch);
                batch.Reset();
            }
        }

        if (batch.Count > 0)
        {
            op.Process(batch);
        }
    }
}
