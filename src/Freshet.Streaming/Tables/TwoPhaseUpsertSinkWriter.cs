using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Tables;

/// <summary>
/// An exactly-once upsert writer: encodes each batch into the inner two-phase-commit writer's transaction; at each
/// pre-commit the held deletes are written into the transaction first, so checkpoint n's transaction holds every
/// message of the changes before its barrier. Commit and recovery are the inner writer's. Task thread only.
/// </summary>
internal sealed class TwoPhaseUpsertSinkWriter<T> : TwoPhaseCommitSinkWriter<Change<T>>
{
    private readonly TwoPhaseCommitSinkWriter<UpsertMessage> _inner;
    private readonly UpsertChangeEncoder<T> _encoder;

    public TwoPhaseUpsertSinkWriter(TwoPhaseCommitSinkWriter<UpsertMessage> inner, UpsertChangeEncoder<T> encoder)
    {
        _inner = inner;
        _encoder = encoder;
    }

    public override void Write(ReadOnlySpan<Change<T>> values, ReadOnlySpan<long> timestamps)
    {
        _encoder.Encode(values, timestamps);
        if (_encoder.Messages.Length > 0)
        {
            _inner.Write(_encoder.Messages, _encoder.Timestamps);
        }
    }

    public override byte[]? PreCommit(long checkpointId)
    {
        if (_encoder.HasPendingDeletes)
        {
            _encoder.TakePendingDeletes();
            _inner.Write(_encoder.Messages, _encoder.Timestamps);
        }

        return _inner.PreCommit(checkpointId);
    }

    public override void Commit(IReadOnlyList<byte[]> committables) => _inner.Commit(committables);

    public override void Recover(IReadOnlyList<RestoredCommittable> committables) => _inner.Recover(committables);

    public override void Flush(bool endOfInput) => _inner.Flush(endOfInput);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
