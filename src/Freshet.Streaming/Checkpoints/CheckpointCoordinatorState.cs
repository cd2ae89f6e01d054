using System.Collections.Immutable;

namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// Everything the coordinator knows, as an immutable value: the last checkpoint id it triggered, when, the last
/// complete one, the pending ones and a pending savepoint request. <see cref="Initial"/> starts after a restored
/// checkpoint id so ids keep increasing across restarts.
/// </summary>
internal sealed record CheckpointCoordinatorState(
    long LastTriggeredId,
    long LastTriggerAtMs,
    long LastCompletedId,
    ImmutableSortedDictionary<long, PendingCheckpoint> Pending,
    bool SavepointRequested)
{
    /// <summary>A checkpoint was asked for ahead of the interval (<see cref="CheckpointEvent.CheckpointRequested"/>).</summary>
    public bool CheckpointRequested { get; init; }

    /// <summary>The state of a job started at <paramref name="startMs"/>, after restoring checkpoint <paramref name="restoredId"/> (0 if none).</summary>
    public static CheckpointCoordinatorState Initial(long startMs, long restoredId) =>
        new(restoredId, startMs, restoredId, ImmutableSortedDictionary<long, PendingCheckpoint>.Empty, false);
}
