using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Connectors.Files;

/// <summary>
/// One subtask of <see cref="RollingFileSink{T}"/> in a job without checkpoints: its <see cref="PartFileRoller{T}"/>
/// publishes each part (renames it to its final name) as soon as it is closed, and the open part is closed at end of
/// input. At-least-once. Task thread only.
/// </summary>
internal sealed class RollingFileSinkWriter<T> : SinkWriter<T>
{
    private readonly PartFileRoller<T> _parts;

    public RollingFileSinkWriter(string directory, Func<T, string> format, RollingFileSinkOptions options, SinkContext context)
    {
        _parts = new PartFileRoller<T>(directory, format, options, context, hiddenName => _parts!.Publish(hiddenName));
    }

    public override void Write(ReadOnlySpan<T> values, ReadOnlySpan<long> timestamps) => _parts.Write(values);

    public override void Flush(bool endOfInput)
    {
        if (endOfInput)
        {
            _parts.ClosePart();
        }
        else
        {
            _parts.FlushOpenPart();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _parts.Dispose();
        }

        base.Dispose(disposing);
    }
}
