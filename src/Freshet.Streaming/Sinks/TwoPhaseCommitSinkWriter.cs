namespace Freshet.Streaming.Sinks;

/// <summary>
/// A sink writer whose output is exactly-once with checkpoints: it writes inside transactions of an outside system and
/// lets the runtime decide when each transaction becomes visible (Flink's two-phase-commit sink: a
/// <c>CommittingSinkWriter</c> and its <c>Committer</c> in one). Return one from <see cref="Sink{T}.CreateWriter"/>;
/// the job must take checkpoints (<see cref="StreamEnvironmentOptions.Checkpointing"/>), or it fails at start.
/// <para>
/// Call order, all on the sink subtask's task thread:
/// <list type="number">
/// <item><see cref="Recover"/>, once, before any write — with the committables of the restored checkpoint, or an empty
/// list on a fresh start (abort what an earlier, failed run of this subtask left open).</item>
/// <item><see cref="SinkWriter{T}.Write"/> any number of times: records go into the current transaction, invisible.</item>
/// <item>At the barrier of checkpoint n, <see cref="PreCommit"/>(n): make the transaction durable but still invisible
/// and return a <em>committable</em> — the bytes needed to commit it later, from another process if need be (a
/// transaction id, a list of staged file names). The runtime stores it in the checkpoint. Records written after this
/// call belong to the next transaction.</item>
/// <item>When checkpoint n completes, <see cref="Commit"/> with the committables of every checkpoint up to n not yet
/// committed, oldest first: make them visible.</item>
/// <item>When a bounded input ends, the job takes a final checkpoint once every source has reached its end; its
/// pre-commit and commit cover the last records. <see cref="SinkWriter{T}.Flush"/>(<see langword="true"/>) comes after
/// that commit. <see cref="SinkWriter{T}.Flush"/> is not called at barriers.</item>
/// </list>
/// </para>
/// <para>
/// What the runtime guarantees: a committable is committed only after the checkpoint that holds it completed, and that
/// checkpoint also holds the source positions just after the committable's records, so after any failure the job
/// resumes from a state where every committed record is accounted for and every uncommitted one is read again. What
/// the writer must guarantee: <see cref="Commit"/> and <see cref="Recover"/> are idempotent — a crash between the
/// outside system's commit and the runtime's bookkeeping makes the next run commit the same committable again — and a
/// committable stays committable until it is committed (an outside transaction timeout longer than the checkpoint
/// interval plus the time to restart). Recover aborts transactions that are not among its committables: they belong to
/// checkpoints that never completed, and their records come again from the sources.
/// </para>
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public abstract class TwoPhaseCommitSinkWriter<T> : SinkWriter<T>
{
    /// <summary>
    /// Ends the current transaction for checkpoint <paramref name="checkpointId"/>: durable, not visible. Returns its
    /// committable (stored in the checkpoint and handed to <see cref="Commit"/> or, after a restore,
    /// <see cref="Recover"/>), or <see langword="null"/> when there is nothing to commit. Put a version byte first, as for
    /// any bytes a later version must read.
    /// </summary>
    /// <param name="checkpointId">The checkpoint whose barrier arrived; ids increase over the life of a job, also across restores.</param>
    public abstract byte[]? PreCommit(long checkpointId);

    /// <summary>
    /// Makes the transactions named by <paramref name="committables"/> visible, in order: their checkpoints completed.
    /// Idempotent: a committable already committed (by this writer or a writer of an earlier run) is skipped. An
    /// exception fails the job, which restores its latest checkpoint and hands the committables to <see cref="Recover"/>.
    /// </summary>
    public abstract void Commit(IReadOnlyList<byte[]> committables);

    /// <summary>
    /// After a start or restore, before any write: commits <paramref name="committables"/> — the restored checkpoint
    /// completed, though its commit may not have run — and aborts whatever transactions of this subtask are not among
    /// them. After a restore at a lower parallelism the list also holds the committables of old subtasks this one takes
    /// over (old subtask <c>i</c> goes to new subtask <c>i % parallelism</c>); <see cref="RestoredCommittable.Subtask"/>
    /// names the subtask that pre-committed each, for writers whose transactions are tied to a subtask's identity.
    /// Idempotent, as <see cref="Commit"/>.
    /// </summary>
    public abstract void Recover(IReadOnlyList<RestoredCommittable> committables);
}
