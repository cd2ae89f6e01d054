using System.Text;

namespace Freshet.Kafka.Protocol.Generator;

/// <summary>Builds C# source line by line with four-space indentation. Not thread-safe.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public void Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _depth * 4);
        }

        _text.Append(line).Append('\n');
    }

    public void Open(string line)
    {
        Line(line);
        Line("{");
        _depth++;
    }

    public void Close(string suffix = "")
    {
        _depth--;
        Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();
}
