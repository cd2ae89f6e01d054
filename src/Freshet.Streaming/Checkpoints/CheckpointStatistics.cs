namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// Counters of a job's checkpoints: how many completed and failed (aborted), the last complete id, and of the last
/// complete one its total state size (bytes) and its longest synchronous and asynchronous snapshot phases (ms).
/// </summary>
internal sealed record CheckpointStatistics(long Completed, long Failed, long LastCompletedId, long LastStateBytes, long LastSyncMs, long LastAsyncMs)
{
    public static CheckpointStatistics None { get; } = new(0, 0, 0, 0, 0, 0);
}
