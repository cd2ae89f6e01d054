namespace Freshet.Streaming.State;

/// <summary>
/// Time-to-live of keyed state entries (Flink's <c>StateTtlConfig</c>), in processing time: the job's injected clock
/// (<see cref="StreamEnvironmentOptions.Clock"/>). An entry written at processing time <c>t</c> expires at
/// <c>t + TimeToLive</c> (or, with <see cref="StateTtlUpdateType.OnReadAndWrite"/>, that long after its last read).
/// Expired entries are never returned (Flink's <c>NeverReturnExpired</c>). The granularity is one value for
/// value, reducing and aggregating state, one element for list state and one user key for map state.
/// <para>
/// Cleanup: an expired entry is removed when its key is next accessed (lazily), and each state access also checks
/// <see cref="CleanupEntriesPerAccess"/> further keys of the same state in round-robin order and removes what expired
/// (incrementally, Flink's <c>cleanupIncrementally</c>), so the state of keys never seen again does not grow without
/// bound (on RocksDB: further entries of the state's column family). Heap snapshots leave out entries that are expired
/// when they are taken; RocksDB checkpoints may hold them, and they are dropped when read after a restore. Both
/// backends behave the same.
/// </para>
/// </summary>
public sealed record StateTtlConfig
{
    /// <summary>Entries live for <paramref name="timeToLive"/> (positive, millisecond resolution) after their last update.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeToLive"/> is shorter than one millisecond.</exception>
    public StateTtlConfig(TimeSpan timeToLive)
    {
        if (timeToLive < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), timeToLive, "The time-to-live must be at least one millisecond.");
        }

        TimeToLive = timeToLive;
    }

    /// <summary>How long an entry lives after its last update.</summary>
    public TimeSpan TimeToLive { get; }

    /// <summary>Which accesses restart an entry's time-to-live; default <see cref="StateTtlUpdateType.OnCreateAndWrite"/>.</summary>
    public StateTtlUpdateType UpdateType { get; init; } = StateTtlUpdateType.OnCreateAndWrite;

    /// <summary>Keys checked for expired entries on each state access, besides the accessed key (0 = lazy cleanup only); default 5.</summary>
    public int CleanupEntriesPerAccess
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(CleanupEntriesPerAccess));
            field = value;
        }
    } = 5;
}
