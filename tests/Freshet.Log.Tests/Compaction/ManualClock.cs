namespace Freshet.Log.Tests.Compaction;

/// <summary>A clock that moves only when a test says so. Thread-safe.</summary>
internal sealed class ManualClock(long startMs = 1_700_000_000_000) : TimeProvider
{
    private long _nowMs = startMs;

    public long NowMs => Interlocked.Read(ref _nowMs);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);

    public void Advance(long ms) => Interlocked.Add(ref _nowMs, ms);
}
