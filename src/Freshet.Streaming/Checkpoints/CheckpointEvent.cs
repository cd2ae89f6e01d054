namespace Freshet.Streaming.Checkpoints;

/// <summary>An observed fact the coordinator decides on (<see cref="CheckpointCoordinator.Decide"/>).</summary>
internal abstract record CheckpointEvent
{
    private CheckpointEvent()
    {
    }

    /// <summary>Time passed: the clock now reads <paramref name="NowMs"/> (ms).</summary>
    public sealed record Tick(long NowMs) : CheckpointEvent;

    /// <summary>
    /// A task snapshotted checkpoint <paramref name="CheckpointId"/> and its state is durable; <paramref name="AlignmentMs"/>
    /// is how long the task waited from the checkpoint's first to its last input barrier (0 for a source task), and
    /// <paramref name="StateBytesByOperator"/> splits <paramref name="StateBytes"/> by operator uid (null: not split).
    /// </summary>
    public sealed record Acknowledged(long CheckpointId, int TaskIndex, long StateBytes, long SyncMs, long AsyncMs, long AlignmentMs = 0, IReadOnlyDictionary<string, long>? StateBytesByOperator = null) : CheckpointEvent;

    /// <summary>A task could not take checkpoint <paramref name="CheckpointId"/> (write failure, abandoned alignment).</summary>
    public sealed record Declined(long CheckpointId, int TaskIndex, string Reason) : CheckpointEvent;

    /// <summary>The runtime needs a checkpoint soon (every source reached its end): trigger one as soon as nothing is pending, without waiting for the interval.</summary>
    public sealed record CheckpointRequested(long NowMs) : CheckpointEvent;

    /// <summary>The user asked for a savepoint at <paramref name="NowMs"/>: trigger one as soon as nothing is pending.</summary>
    public sealed record SavepointRequested(long NowMs) : CheckpointEvent;
}
