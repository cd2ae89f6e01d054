using Freshet.Streaming.Checkpoints;

namespace Freshet.Streaming.Operators;

/// <summary>
/// An operator whose state checkpoints cover. Called on the task thread. <see cref="SnapshotState"/> runs when the
/// barrier has arrived on every input (no record of the checkpoint is in flight inside the chain); it must only freeze
/// or copy (the synchronous phase) and returns the serialization, which runs on the thread pool while the task goes
/// on (the asynchronous phase). <see cref="RestoreState"/> runs before <c>Open</c>.
/// </summary>
internal interface ICheckpointedOperator
{
    /// <summary>Synchronous phase of checkpoint <paramref name="checkpointId"/>: returns the named sections' serialization, or null when the operator has nothing to store.</summary>
    Func<IReadOnlyList<(string Name, byte[] Bytes)>>? SnapshotState(long checkpointId);

    /// <summary>Takes back the state stored for this operator's uid (keyed operators keep the key groups of their range).</summary>
    void RestoreState(RestoredOperatorState restored);

    /// <summary>
    /// The section names this kind of operator writes; a name ending in ':' stands for every name it starts. A restore
    /// that holds any other section was written by a different kind of operator under the same uid and is refused
    /// before the job starts, instead of being misread.
    /// </summary>
    IReadOnlyList<string> StateSections { get; }
}

/// <summary>An operator told when a checkpoint completed (a transactional sink commits). Called on the task thread.</summary>
internal interface ICheckpointListener
{
    void NotifyCheckpointComplete(long checkpointId);
}
