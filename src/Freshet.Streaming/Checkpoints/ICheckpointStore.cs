namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// Where a job run's checkpoints go: <see cref="CheckpointStorage"/> (a directory of state files and manifests, the
/// default) or, in application mode, the task's Kafka transaction and changelog topics. The coordinator's I/O edge
/// (<see cref="CheckpointCommandExecutor"/>) opens one <see cref="ICheckpointWriter"/> per triggered checkpoint and
/// commits or aborts it. Implementations must be thread-safe.
/// </summary>
internal interface ICheckpointStore
{
    /// <summary>Starts checkpoint <paramref name="checkpointId"/>.</summary>
    ICheckpointWriter Begin(long checkpointId);

    /// <summary>Called after a checkpoint (not a savepoint) completed: drop what no retained checkpoint needs any more.</summary>
    void RemoveExpired();
}
