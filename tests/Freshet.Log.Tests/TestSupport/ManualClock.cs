namespace Freshet.Log.Tests.TestSupport;

/// <summary>A clock that moves only when a test calls <see cref="Advance"/>, for segment age, retention and flush intervals. Thread-safe.</summary>
internal sealed class ManualClock : TimeProvider
{
    /// <summary>2023-11-14T22:13:20Z: an arbitrary, realistic start.</summary>
    public const long DefaultStartMs = 1_700_000_000_000;

    private long _nowMs;

    public ManualClock(long startMs = DefaultStartMs)
    {
        _nowMs = startMs;
    }

    public long NowMs => Interlocked.Read(ref _nowMs);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);

    public void Advance(long milliseconds) => Interlocked.Add(ref _nowMs, milliseconds);
}
