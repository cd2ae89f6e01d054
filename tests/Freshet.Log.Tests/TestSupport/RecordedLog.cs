using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Freshet.Log.Tests.TestSupport;

/// <summary>A logger factory whose every event, at every level, is kept in <see cref="Collector"/> (FakeLogger).</summary>
public sealed class RecordedLog : IDisposable
{
    public RecordedLog()
    {
        Factory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(Collector)));
    }

    public FakeLogCollector Collector { get; } = new();

    public ILoggerFactory Factory { get; }

    /// <summary>The events with id <paramref name="eventId"/>, in the order logged.</summary>
    public IReadOnlyList<FakeLogRecord> Events(int eventId) => Collector.GetSnapshot().Where(r => r.Id.Id == eventId).ToArray();

    public void Dispose() => Factory.Dispose();
}
