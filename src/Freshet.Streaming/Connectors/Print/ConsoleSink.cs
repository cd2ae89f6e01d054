using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Connectors.Print;

/// <summary>Prints each record on its own line, prefixed like Flink's <c>print()</c>: <c>prefix:subtask&gt; value</c> (subtask 1-based).</summary>
internal sealed class ConsoleSink<T> : Sink<T>
{
    private readonly string? _prefix;
    private readonly TextWriter _out;

    public ConsoleSink(string? prefix, TextWriter? output = null)
    {
        _prefix = prefix;
        _out = output ?? Console.Out;
    }

    public override SinkWriter<T> CreateWriter(SinkContext context)
    {
        var label = context.Parallelism > 1 ? $"{context.SubtaskIndex + 1}> " : string.Empty;
        return new ConsoleSinkWriter<T>(_out, _prefix is null ? label : $"{_prefix}:{label}");
    }
}
