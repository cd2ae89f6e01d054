namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>A clock that moves only when the test sets it. Thread-safe.</summary>
public sealed class ManualClock : TimeProvider
{
    private long _nowMs;

    public ManualClock(long startMs)
    {
        _nowMs = startMs;
    }

    public long NowMs
    {
        get => Interlocked.Read(ref _nowMs);
        set => Interlocked.Exchange(ref _nowMs, value);
    }

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);
}
