using System.Collections.Immutable;

namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// A triggered checkpoint not yet complete: the tasks that acknowledged it and the totals of their reports
/// (state bytes, longest synchronous and asynchronous snapshot phases and barrier alignment in ms). Immutable.
/// </summary>
internal sealed record PendingCheckpoint(
    long CheckpointId,
    long TriggeredAtMs,
    bool IsSavepoint,
    ImmutableHashSet<int> AcknowledgedTasks,
    long StateBytes,
    long MaxSyncMs,
    long MaxAsyncMs)
{
    /// <summary>The longest barrier alignment (ms) of a task that acknowledged: its first to its last input barrier.</summary>
    public long MaxAlignmentMs { get; init; }

    /// <summary>Bytes of state files per operator uid, summed over the subtasks that acknowledged.</summary>
    public ImmutableDictionary<string, long> StateBytesByOperator { get; init; } = ImmutableDictionary<string, long>.Empty;
}
