using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Freshet.Broker.Tests.Support;

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

    /// <summary>Waits up to <paramref name="timeout"/> for an event with id <paramref name="eventId"/> (events logged on other threads) and returns the first.</summary>
    public async Task<FakeLogRecord> WaitForAsync(int eventId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = Events(eventId);
            if (found.Count > 0)
            {
                return found[0];
            }

            Assert.True(DateTime.UtcNow < deadline, $"no event {eventId} within {timeout}; logged: {string.Join(", ", Collector.GetSnapshot().Select(r => r.Id.Id))}");
            await Task.Delay(20);
        }
    }

    public void Dispose() => Factory.Dispose();
}
