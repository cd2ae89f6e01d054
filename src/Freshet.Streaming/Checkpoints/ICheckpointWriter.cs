namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// One pending checkpoint of an <see cref="ICheckpointStore"/>: tasks hand it the state of each (operator uid,
/// subtask) from their asynchronous phase, any thread; once every task acknowledged, the coordinator's I/O edge calls
/// <see cref="Commit"/> exactly once, or <see cref="Abort"/> when the checkpoint failed. Thread-safe.
/// </summary>
internal interface ICheckpointWriter
{
    long CheckpointId { get; }

    /// <summary>Stores the state of one operator subtask (<see cref="OperatorStateSections"/> bytes).</summary>
    void WriteState(string operatorUid, int subtask, ReadOnlySpan<byte> state);

    /// <summary>Makes the checkpoint durable and complete; returns where it is (a directory, or a description of the commit). Throws when it cannot be made durable.</summary>
    string Commit();

    /// <summary>Gives the checkpoint up and releases what it holds (best effort; never throws).</summary>
    void Abort();
}
