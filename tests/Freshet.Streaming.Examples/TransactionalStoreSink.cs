using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Examples;

/// <summary>
/// An exactly-once sink into a <see cref="TransactionalStore"/>, written against the public two-phase-commit contract
/// (<see cref="TwoPhaseCommitSinkWriter{T}"/>): each sink subtask writes a checkpoint interval's records into one
/// store transaction, pre-commits it at the barrier, and commits it when the checkpoint completes. Needs a job with
/// checkpoints.
/// <para>
/// Transaction ids are <c>{job}/{sink uid}/{subtask}/{unique}</c>: stable in their first three parts across restarts,
/// so a restarted subtask finds — and aborts — what an earlier run of itself left open.
/// </para>
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed class TransactionalStoreSink<T> : Sink<T>
{
    private readonly TransactionalStore _store;
    private readonly Func<T, string> _format;

    /// <param name="store">Where the records go.</param>
    /// <param name="format">Turns a record into what the store keeps.</param>
    public TransactionalStoreSink(TransactionalStore store, Func<T, string> format)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(format);
        _store = store;
        _format = format;
    }

    /// <inheritdoc/>
    public override SinkWriter<T> CreateWriter(SinkContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new TransactionalStoreSinkWriter<T>(_store, _format, context);
    }
}
