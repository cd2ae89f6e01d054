namespace Freshet.Streaming.Sinks;

/// <summary>
/// Writes the records of one sink subtask. Records arrive in batches (spans valid only during the call). All calls
/// come from the subtask's task thread. With checkpoints (issue 5), <see cref="Flush"/> will also be called at each
/// barrier (pre-commit).
/// </summary>
public abstract class SinkWriter<T> : IDisposable
{
    /// <summary>Writes a batch: <paramref name="values"/> with their event times (ms, <see cref="long.MinValue"/> = none).</summary>
    public abstract void Write(ReadOnlySpan<T> values, ReadOnlySpan<long> timestamps);

    /// <summary>Makes written records visible/durable; <paramref name="endOfInput"/> is true for the last call.</summary>
    public virtual void Flush(bool endOfInput)
    {
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources; called once when the task ends, however it ends.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
