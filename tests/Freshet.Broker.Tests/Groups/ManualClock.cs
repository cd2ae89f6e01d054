namespace Freshet.Broker.Tests.Groups;

/// <summary>A clock that moves only when a test calls <see cref="Advance"/>. Thread-safe.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _nowMs = 1_700_000_000_000;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _nowMs));

    public void Advance(long milliseconds) => Interlocked.Add(ref _nowMs, milliseconds);
}
