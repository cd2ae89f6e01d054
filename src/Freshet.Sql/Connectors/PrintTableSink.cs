using System.Text;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Connectors;

/// <summary>
/// Flink's <c>print</c> connector: one line per change, <c>+I[1, foo]</c>, <c>-U[...]</c>, <c>+U[...]</c>,
/// <c>-D[...]</c>, prefixed as Flink's print sink does: <c>identifier&gt; </c> with <c>print-identifier</c>,
/// <c>identifier:subtask&gt; </c> (subtask from 1) when the sink has more than one subtask, <c>subtask&gt; </c> without
/// an identifier. Each batch is written with one call to a synchronised writer, so lines of subtasks do not
/// interleave. Thread-safe.
/// </summary>
internal sealed class PrintTableSink : Sink<Change<Row>>
{
    private readonly string? _identifier;
    private readonly TextWriter _output;

    public PrintTableSink(string? identifier, TextWriter output)
    {
        _identifier = identifier;
        _output = TextWriter.Synchronized(output);
    }

    public override SinkWriter<Change<Row>> CreateWriter(SinkContext context)
    {
        var prefix = _identifier ?? string.Empty;
        if (context.Parallelism > 1)
        {
            prefix += (prefix.Length > 0 ? ":" : string.Empty) + (context.SubtaskIndex + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new Writer(_output, prefix.Length > 0 ? prefix + "> " : string.Empty);
    }

    private sealed class Writer(TextWriter output, string prefix) : SinkWriter<Change<Row>>
    {
        private readonly StringBuilder _text = new();

        public override void Write(ReadOnlySpan<Change<Row>> values, ReadOnlySpan<long> timestamps)
        {
            _text.Clear();
            foreach (var change in values)
            {
                _text.Append(prefix).Append(change.ToString()).Append('\n');
            }

            output.Write(_text.ToString());
        }

        public override void Flush(bool endOfInput) => output.Flush();
    }
}
