namespace Freshet.Streaming.Sources;

/// <summary>
/// Reads one source subtask's share of a <see cref="Source{T}"/> — its splits — and hands the records to a
/// <see cref="SourceOutput{T}"/> (Flink's <c>SourceReader</c>). All calls but construction come from the subtask's
/// task thread, one at a time, so a reader needs no locks.
/// <para>
/// Life cycle: created by <see cref="Source{T}.CreateReader"/>; after a restore, <see cref="RestorePosition"/>;
/// then <see cref="Open"/>; then <see cref="Poll"/> again and again, with <see cref="SnapshotPosition"/> between two
/// polls whenever a checkpoint barrier passes the source and <see cref="NotifyCheckpointComplete"/> when a checkpoint
/// completes; finally <c>Dispose</c> when the task ends, however it ends. A reader whose job is refused before its tasks
/// start (a plan that fails validation) is neither opened nor disposed: acquire nothing before <see cref="Open"/>.
/// </para>
/// <para>
/// Splits: the reader numbers its splits 0, 1, 2, … in the order it takes them on, and passes that number with each
/// record to <see cref="SourceOutput{T}.Collect(T, long, int)"/>. <see cref="SplitCount"/> says how many numbers it
/// has handed out; it may grow while the job runs (an unbounded reader that discovers new files or partitions), never
/// shrink, and a number is never reused within a run: a split that has ended is reported with
/// <see cref="SourceOutput{T}.FinishSplit"/>. The numbers are local to one run of one reader; positions must name
/// splits by something stable (a partition id, a file name).
/// </para>
/// <para>
/// Positions: with checkpoints, every reader must have one (<see cref="SupportsPositions"/>). A position is the
/// reader's own bytes, enough to resume exactly after the last record it passed to the output: a checkpoint stores
/// it together with the state downstream operators had after those records, so a restore neither loses nor repeats
/// a record. Positions are taken between polls, so a position covers exactly the records of the polls before it.
/// </para>
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public abstract class SourceReader<T> : IDisposable
{
    /// <summary>
    /// Number of splits this reader has taken on so far: split numbers passed to the output are below it. Read by the
    /// runtime after <see cref="Open"/>, after every poll, and when the output meets a split number it has not seen;
    /// may be 0 (a subtask with no split goes idle and never holds back event time).
    /// </summary>
    public abstract int SplitCount { get; }

    /// <summary>
    /// Prepares to read: connect, list splits, resolve start positions, apply a restored position. Called once, on
    /// the task thread, after <see cref="RestorePosition"/> and before the first <see cref="Poll"/>. An exception fails
    /// the job's start (or restart) with the source named.
    /// </summary>
    public virtual void Open()
    {
    }

    /// <summary>
    /// Emits up to about <paramref name="maxRecords"/> records into <paramref name="output"/> and says whether more
    /// are ready. Must not block for long: the task injects checkpoint barriers and runs timers between polls, so a
    /// reader waiting for data returns <see cref="SourcePoll.NothingAvailable"/> instead of waiting. An exception fails
    /// the job (or restarts it from the latest checkpoint) with the source named.
    /// </summary>
    /// <param name="output">Where the records go; valid only during the call.</param>
    /// <param name="maxRecords">The batch size of the job (at least 1): a poll is the unit between two checkpoint barriers.</param>
    public abstract SourcePoll Poll(SourceOutput<T> output, int maxRecords);

    /// <summary>
    /// Whether the reader has positions (<see cref="SnapshotPosition"/>, <see cref="RestorePosition"/>). A job with
    /// checkpoints refuses to start with a source whose readers have none. Default false.
    /// </summary>
    public virtual bool SupportsPositions => false;

    /// <summary>
    /// Whether positions may be restored at another parallelism than the one that wrote them. When true, a reader of
    /// a job restored at a new parallelism receives the positions of every old subtask, one
    /// <see cref="RestorePosition"/> call each, and must take the parts about the splits it now owns and ignore the
    /// rest — which works when positions are per split and splits are assigned by <see cref="SplitAssignment"/>.
    /// When false (default), a restore at another parallelism fails with a message naming the old parallelism, and a
    /// reader receives only the position its own subtask index wrote.
    /// </summary>
    public virtual bool PositionsApplyAcrossParallelism => false;

    /// <summary>
    /// The reader's position after the last record it emitted, in the reader's own format (put a version byte first,
    /// so a later version of the reader can still read it). Called on the task thread between two polls, at each
    /// checkpoint barrier; the bytes belong to the runtime afterwards.
    /// </summary>
    /// <exception cref="NotSupportedException">The reader has no positions (the default).</exception>
    public virtual byte[] SnapshotPosition() => throw new NotSupportedException($"{GetType().Name} has no position; it cannot be checkpointed.");

    /// <summary>
    /// Resumes from a position written by <see cref="SnapshotPosition"/> of a reader of the same source — this
    /// subtask's own, or with <see cref="PositionsApplyAcrossParallelism"/> each old subtask's in turn. Called before
    /// <see cref="Open"/>, only when the job is restored. The bytes come from disk: reject malformed ones with an
    /// <see cref="ArgumentException"/> that says what is wrong.
    /// </summary>
    /// <exception cref="NotSupportedException">The reader has no positions (the default).</exception>
    public virtual void RestorePosition(byte[] position) => throw new NotSupportedException($"{GetType().Name} has no position; it cannot be restored.");

    /// <summary>
    /// Checkpoint <paramref name="checkpointId"/> completed, and <paramref name="position"/> (this reader's own
    /// <see cref="SnapshotPosition"/> for it) is now durable: everything before it has been processed and committed
    /// downstream. A reader that commits positions to an outside system (a consumer group's offsets, acknowledgements)
    /// commits this one. When several checkpoints complete between two polls only the newest is notified, and a
    /// notification can be lost in a crash, so committing must tolerate gaps. Called on the task thread. Default:
    /// nothing.
    /// </summary>
    public virtual void NotifyCheckpointComplete(long checkpointId, byte[] position)
    {
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases files, connections and buffers; called once when the task ends, however it ends.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
