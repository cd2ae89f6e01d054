namespace Freshet.Streaming.Runtime;

/// <summary>
/// Reads one source subtask's share of a source (its splits) and pushes records into a
/// <see cref="SourceOutput{T}"/>. Called only by its source task's thread. Position hooks for checkpoints
/// (issue 5): a reader's position is the state it would need to resume exactly after its last emitted record
/// (offsets per partition, the next generator index, a file offset).
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

    /// <summary>(Issue 5.) The reader's position after the last record it emitted.</summary>
    public virtual byte[] SnapshotPosition() => throw new NotSupportedException("Source positions are part of checkpoints (issue 5).");

    /// <summary>(Issue 5.) Resumes from a position written by <see cref="SnapshotPosition"/>.</summary>
    public virtual void RestorePosition(byte[] position) => throw new NotSupportedException("Source positions are part of checkpoints (issue 5).");

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
