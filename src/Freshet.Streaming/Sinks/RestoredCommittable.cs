namespace Freshet.Streaming.Sinks;

/// <summary>A committable from a restored checkpoint, handed to <see cref="TwoPhaseCommitSinkWriter{T}.Recover"/>.</summary>
/// <param name="Subtask">The index of the sink subtask that pre-committed it, in the run that wrote the checkpoint (it may have had another parallelism).</param>
/// <param name="Committable">The bytes <see cref="TwoPhaseCommitSinkWriter{T}.PreCommit"/> returned.</param>
public readonly record struct RestoredCommittable(int Subtask, byte[] Committable);
