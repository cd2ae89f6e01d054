using Freshet.Streaming.Time;

namespace Freshet.Streaming.Sources;

/// <summary>
/// Reads one source subtask's share of a source (its splits) and pushes records into a
/// <see cref="SourceOutput{T}"/>. Called only by its source task's thread. Checkpoints store a reader's position: the
/// state it needs to resume exactly after its last emitted record (offsets per partition, the next generator index, a
/// file offset); it is restored before <see cref="Open"/>.
/// </summary>
internal abstract class SourceReader<T> : IDisposable
{
    /// <summary>Number of splits this reader owns (watermarks are generated per split); may be 0.</summary>
    public abstract int SplitCount { get; }

    /// <summary>Prepares to read (resolve start offsets, open files). Called on the task thread.</summary>
    public virtual void Open(ProcessingTimeService processingTime)
    {
    }

    /// <summary>Emits up to about <paramref name="maxRecords"/> records.</summary>
    public abstract SourcePoll Poll(SourceOutput<T> output, int maxRecords);

    /// <summary>Whether the reader has positions (<see cref="SnapshotPosition"/>); a job with checkpoints needs it of every source.</summary>
    public virtual bool SupportsPositions => false;

    /// <summary>
    /// Whether positions written by every subtask of another parallelism can all be applied to this reader (it takes
    /// the splits it owns and ignores the rest, as partition offsets); otherwise only the same subtask's position of a
    /// run at the same parallelism can be restored.
    /// </summary>
    public virtual bool PositionsApplyAcrossParallelism => false;

    /// <summary>The reader's position after the last record it emitted.</summary>
    public virtual byte[] SnapshotPosition() => throw new NotSupportedException($"{GetType().Name} has no position; it cannot be checkpointed.");

    /// <summary>Resumes from a position written by <see cref="SnapshotPosition"/>.</summary>
    public virtual void RestorePosition(byte[] position) => throw new NotSupportedException($"{GetType().Name} has no position; it cannot be restored.");

    /// <summary>
    /// Set before <see cref="Open"/> when the job takes checkpoints: a reader that commits its positions somewhere (a
    /// consumer group) then commits them only through <see cref="NotifyCheckpointComplete"/>, never periodically, so
    /// the committed positions are always those of a completed checkpoint (Flink's Kafka source does the same).
    /// </summary>
    public bool CommitsOnCheckpoints { get; set; }

    /// <summary>
    /// The checkpoint that stored <paramref name="position"/> (this reader's own <see cref="SnapshotPosition"/>)
    /// completed; a reader with a consumer group commits that position to it. Default: nothing.
    /// </summary>
    public virtual void NotifyCheckpointComplete(byte[] position)
    {
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
