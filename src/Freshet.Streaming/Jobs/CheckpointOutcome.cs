namespace Freshet.Streaming.Jobs;

/// <summary>Where a checkpoint or savepoint of <see cref="JobHandle.GetCheckpointHistory"/> stands.</summary>
public enum CheckpointOutcome
{
    /// <summary>Triggered; not every task acknowledged it yet.</summary>
    InProgress,

    /// <summary>Every task acknowledged it and its manifest (or the application task's commit) is durable.</summary>
    Completed,

    /// <summary>Aborted: a task declined it, it timed out, its write failed, or the attempt ended before it completed.</summary>
    Failed,
}
