using Freshet.Streaming.Checkpoints;

namespace Freshet.Streaming.Sinks;

/// <summary>
/// The two-phase commit hooks of a sink writer that makes its output exactly-once with checkpoints. Records are
/// written inside the writer's current transaction; at the barrier of checkpoint n the runtime calls
/// <see cref="PreCommit"/>, which makes the transaction durable but invisible and returns a committable (whatever the
/// writer needs to commit it later, e.g. a transactional id and epoch) that is stored in the subtask's snapshot; a new
/// transaction starts for the records after the barrier. When checkpoint n completes, <see cref="Commit"/> is called
/// with the committables of every checkpoint up to n not yet committed. After a restore, <see cref="Recover"/> receives
/// the committables stored in the restored snapshot — their checkpoint completed, so they must be committed (the
/// completion notice may have been lost in the crash) — and the writer aborts any transaction it opened after them.
/// A writer whose commits are keyed by subtask (Kafka transactional ids) commits another old subtask's committables
/// under that subtask's identity.
/// Commit and Recover must be idempotent: a committable may be committed twice after a crash between commit and the
/// next checkpoint. All calls come from the sink's task thread. Bookkeeping of committables per checkpoint:
/// <see cref="PendingCommittables"/>.
/// </summary>
internal interface ITransactionalSinkWriter
{
    /// <summary>Ends the current transaction for checkpoint <paramref name="checkpointId"/> without making it visible; returns its committable, or null when nothing was written since the last pre-commit.</summary>
    byte[]? PreCommit(long checkpointId);

    /// <summary>Makes the pre-committed transactions named by <paramref name="committables"/> visible, in order.</summary>
    void Commit(IReadOnlyList<byte[]> committables);

    /// <summary>
    /// After a restore, before any write: commits <paramref name="committables"/> and aborts transactions opened after
    /// them. After a rescale the list also holds committables of old subtasks this one takes over (old subtask i goes to
    /// i mod the new parallelism), each named by the old subtask that pre-committed it.
    /// </summary>
    void Recover(IReadOnlyList<RestoredCommittable> committables);
}

/// <summary>A committable from a restored snapshot and the index of the (old) subtask that pre-committed it.</summary>
internal readonly record struct RestoredCommittable(int Subtask, byte[] Committable);
