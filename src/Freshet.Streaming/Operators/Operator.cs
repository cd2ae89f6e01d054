using Freshet.Streaming.Exchange;

namespace Freshet.Streaming.Operators;

/// <summary>
/// An operator subtask that consumes records of type <typeparamref name="TIn"/> in batches. Dispatch is one virtual
/// call per batch; the per-record loop inside <see cref="ProcessBatch"/> is monomorphic. See
/// <see cref="StreamBatch{T}"/> for the ownership rule: read the batch, never modify or keep it.
/// </summary>
internal abstract class Operator<TIn> : OperatorBase
{
    protected Operator(OperatorSetup setup)
        : base(setup)
    {
    }

    /// <summary>Processes the records of <paramref name="batch"/> (its trailer is handled by the task).</summary>
    public void Process(StreamBatch<TIn> batch)
    {
        Metrics.RecordsIn += batch.Count;
        try
        {
            ProcessBatch(batch);
        }
        catch (Exception e) when (IsUserFailure(e))
        {
            throw Wrap(e);
        }
    }

    protected abstract void ProcessBatch(StreamBatch<TIn> batch);
}
