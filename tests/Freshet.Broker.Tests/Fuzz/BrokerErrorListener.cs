using System.Collections.Concurrent;
using System.Diagnostics;

namespace Freshet.Broker.Tests.Fuzz;

/// <summary>
/// Collects the errors the broker traces (<see cref="Trace.TraceError(string)"/>): an exception that
/// escaped a handler or the codec, or a response that could not be encoded. Warnings (a connection closed
/// for bad input, the expected outcome) are ignored. Thread-safe.
/// </summary>
internal sealed class BrokerErrorListener : TraceListener
{
    private readonly ConcurrentQueue<string> _errors = new();

    public IReadOnlyCollection<string> Errors => _errors;

    public override void TraceEvent(TraceEventCache? eventCache, string source, TraceEventType eventType, int id, string? message)
    {
        if (eventType <= TraceEventType.Error && message is not null && message.StartsWith("Freshet broker", StringComparison.Ordinal))
        {
            _errors.Enqueue(message);
        }
    }

    public override void TraceEvent(TraceEventCache? eventCache, string source, TraceEventType eventType, int id, string? format, params object?[]? args) =>
        TraceEvent(eventCache, source, eventType, id, args is { Length: > 0 } && format is not null ? string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args) : format);

    public override void Write(string? message)
    {
    }

    public override void WriteLine(string? message)
    {
    }
}
