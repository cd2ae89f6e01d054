using System.Text;
using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Connectors.Print;

/// <summary>Writes one batch as one call to the shared <see cref="TextWriter"/> (synchronised), so lines of subtasks do not interleave mid-line.</summary>
internal sealed class ConsoleSinkWriter<T> : SinkWriter<T>
{
    private readonly TextWriter _out;
    private readonly string _label;
    private readonly StringBuilder _text = new();

    public ConsoleSinkWriter(TextWriter output, string label)
    {
        _out = TextWriter.Synchronized(output);
        _label = label;
    }

    public override void Write(ReadOnlySpan<T> values, ReadOnlySpan<long> timestamps)
    {
        _text.Clear();
        foreach (var value in values)
        {
            _text.Append(_label).Append(value).Append('\n');
        }

        _out.Write(_text.ToString());
    }

    public override void Flush(bool endOfInput) => _out.Flush();
}
