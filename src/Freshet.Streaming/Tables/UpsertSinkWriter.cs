using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Tables;

/// <summary>
/// An at-least-once upsert writer: encodes each batch and writes it through the inner writer; at each flush (barrier,
/// end of input) the held deletes are written first. Task thread only.
/// </summary>
internal sealed class UpsertSinkWriter<T> : SinkWriter<Change<T>>
{
    private readonly SinkWriter<UpsertMessage> _inner;
    private readonly UpsertChangeEncoder<T> _encoder;

    public UpsertSinkWriter(SinkWriter<UpsertMessage> inner, UpsertChangeEncoder<T> encoder)
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

    public override void Flush(bool endOfInput)
    {
        if (_encoder.HasPendingDeletes)
        {
            _encoder.TakePendingDeletes();
            _inner.Write(_encoder.Messages, _encoder.Timestamps);
        }

        _inner.Flush(endOfInput);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
