namespace Freshet.Streaming.Jobs;

/// <summary>Where a job's state came from when it started or restarted.</summary>
/// <param name="CheckpointId">The id of the checkpoint or savepoint restored.</param>
/// <param name="Directory">Its directory.</param>
/// <param name="IsSavepoint">True when it was the savepoint given in <see cref="StreamEnvironmentOptions.RestoreFromSavepoint"/>.</param>
/// <param name="Skipped">Newer checkpoints that were passed over, each with the reason (incomplete, corrupt).</param>
public sealed record CheckpointRestore(long CheckpointId, string Directory, bool IsSavepoint, IReadOnlyList<string> Skipped);
