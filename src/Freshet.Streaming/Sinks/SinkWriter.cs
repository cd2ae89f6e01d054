namespace Freshet.Streaming.Sinks;

/// <summary>
/// Writes the records of one sink subtask (Flink's <c>SinkWriter</c>). Records arrive in batches (spans valid only
/// during the call). All calls come from the subtask's task thread.
/// <para>
/// Delivery: in a job with checkpoints, <see cref="Flush"/>(<see langword="false"/>) is called at each checkpoint
/// barrier, before the checkpoint is taken; a writer that makes its records durable there is at-least-once — after a
/// restore, the records since the last completed checkpoint are written again. For exactly-once output derive from
/// <see cref="TwoPhaseCommitSinkWriter{T}"/>, which is pre-committed at barriers instead.
/// </para>
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public abstract class SinkWriter<T> : IDisposable
{
    /// <summary>Writes a batch: <paramref name="values"/> with their event times (ms, <see cref="long.MinValue"/> = none).</summary>
    public abstract void Write(ReadOnlySpan<T> values, ReadOnlySpan<long> timestamps);

    /// <summary>
    /// Makes the records written so far durable (and visible, for a writer that is not a
    /// <see cref="TwoPhaseCommitSinkWriter{T}"/>); <paramref name="endOfInput"/> is true for the last call, at the end
    /// of a bounded input. Called with false at each checkpoint barrier (except on a
    /// <see cref="TwoPhaseCommitSinkWriter{T}"/>) and with true at end of input.
    /// </summary>
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
