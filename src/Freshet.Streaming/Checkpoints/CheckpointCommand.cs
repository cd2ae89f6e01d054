namespace Freshet.Streaming.Checkpoints;

/// <summary>What the coordinator decided; the runtime carries it out (injects barriers, commits the manifest, deletes files).</summary>
internal abstract record CheckpointCommand
{
    private CheckpointCommand()
    {
    }

    /// <summary>Inject the barrier of checkpoint <paramref name="CheckpointId"/> at every source.</summary>
    public sealed record Trigger(long CheckpointId, bool IsSavepoint) : CheckpointCommand;

    /// <summary>Every task acknowledged: write the manifest, notify every task that the checkpoint is complete.</summary>
    public sealed record Complete(PendingCheckpoint Checkpoint) : CheckpointCommand;

    /// <summary>Give checkpoint <paramref name="CheckpointId"/> up: delete its files; tasks drop its alignment.</summary>
    public sealed record Abort(long CheckpointId, bool IsSavepoint, string Reason) : CheckpointCommand;
}
