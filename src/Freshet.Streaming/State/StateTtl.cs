using Freshet.Streaming.Time;

namespace Freshet.Streaming.State;

/// <summary>
/// The expiry rule of one TTL-enabled state (heap or RocksDB): an entry stamped at processing time <c>s</c> (Unix ms) is expired
/// once <c>now ≥ s + TimeToLiveMs</c>. Reads the task's processing-time clock. Task thread only.
/// </summary>
internal sealed class StateTtl
{
    private readonly ProcessingTimeService _clock;

    public StateTtl(StateTtlConfig config, ProcessingTimeService clock)
    {
        _clock = clock;
        TimeToLiveMs = (long)config.TimeToLive.TotalMilliseconds;
        UpdateOnRead = config.UpdateType == StateTtlUpdateType.OnReadAndWrite;
        CleanupEntriesPerAccess = config.CleanupEntriesPerAccess;
    }

    public long TimeToLiveMs { get; }

    /// <summary>Whether reads restamp what they return.</summary>
    public bool UpdateOnRead { get; }

    public int CleanupEntriesPerAccess { get; }

    /// <summary>Current processing time (Unix ms).</summary>
    public long Now => _clock.Now;

    public bool IsExpired(long stampMs, long nowMs) => nowMs - stampMs >= TimeToLiveMs;
}
