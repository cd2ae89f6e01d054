namespace Freshet.Streaming.Runtime;

/// <summary>
/// The hook for checkpoints (issue 5), implemented by operators that hold state. Called on the task thread
/// when a barrier has arrived on every input (so no record is in flight inside the operator).
/// Keyed operators write their entries grouped by key group (<see cref="KeyGroups.Of"/> of each key) so that a
/// restore at another parallelism can take whole key groups. Not implemented by any operator yet.
/// </summary>
internal interface ISnapshotableOperator
{
    /// <summary>Writes the operator's state for checkpoint <paramref name="checkpointId"/>. The synchronous part must
    /// only freeze or copy; the write may complete asynchronously.</summary>
    void SnapshotState(long checkpointId, Stream output);

    /// <summary>Restores state written by <see cref="SnapshotState"/>, keeping only the key groups this subtask owns.</summary>
    void RestoreState(Stream input, (int First, int Last) keyGroupRange);
}
