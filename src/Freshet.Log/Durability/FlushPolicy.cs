namespace Freshet.Log.Durability;

/// <summary>
/// When a partition's appended bytes are forced to stable storage with fsync.
/// <para>
/// What each mode guarantees for an acknowledged append: every mode survives the process being
/// killed (<c>kill -9</c>), because the bytes were handed to the operating system before the
/// acknowledgement. Only <see cref="FlushMode.EveryAppend"/> also survives a power loss or kernel
/// crash for every acknowledged append; the other modes survive it up to the last flush.
/// </para>
/// Immutable; thread-safe.
/// </summary>
public sealed record FlushPolicy
{
    private FlushPolicy(FlushMode mode, long intervalMs, long maxUnflushedBytes)
    {
        Mode = mode;
        IntervalMs = intervalMs;
        MaxUnflushedBytes = maxUnflushedBytes;
    }

    /// <summary>fsync before acknowledging each append.</summary>
    public static FlushPolicy EveryAppend { get; } = new(FlushMode.EveryAppend, 0, 0);

    /// <summary>Leave writing back to the operating system (Kafka's default); fsync only on segment roll and close.</summary>
    public static FlushPolicy OperatingSystem { get; } = new(FlushMode.OperatingSystem, 0, 0);

    /// <summary>The way this policy decides to flush.</summary>
    public FlushMode Mode { get; }

    /// <summary>For <see cref="FlushMode.Interval"/>: the longest time, in milliseconds, that appended bytes stay unflushed.</summary>
    public long IntervalMs { get; }

    /// <summary>For <see cref="FlushMode.Bytes"/>: flush once this many bytes have been appended since the last flush.</summary>
    public long MaxUnflushedBytes { get; }

    /// <summary>fsync at most <paramref name="intervalMs"/> milliseconds after an append (checked on append and by the store's background flusher).</summary>
    public static FlushPolicy Interval(long intervalMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(intervalMs);
        return new(FlushMode.Interval, intervalMs, 0);
    }

    /// <summary>fsync once at least <paramref name="maxUnflushedBytes"/> bytes are unflushed.</summary>
    public static FlushPolicy Bytes(long maxUnflushedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxUnflushedBytes);
        return new(FlushMode.Bytes, 0, maxUnflushedBytes);
    }

    /// <inheritdoc/>
    public override string ToString() => Mode switch
    {
        FlushMode.Interval => $"interval:{IntervalMs}",
        FlushMode.Bytes => $"bytes:{MaxUnflushedBytes}",
        FlushMode.EveryAppend => "every-append",
        _ => "os",
    };

    /// <summary>Parses the form <see cref="ToString"/> writes: <c>every-append</c>, <c>os</c>, <c>interval:MS</c>, <c>bytes:N</c>.</summary>
    public static bool TryParse(string? text, out FlushPolicy policy)
    {
        policy = OperatingSystem;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Trim().Split(':', 2);
        switch (parts[0].ToLowerInvariant())
        {
            case "every-append" when parts.Length == 1:
                policy = EveryAppend;
                return true;
            case "os" when parts.Length == 1:
                policy = OperatingSystem;
                return true;
            case "interval" when parts.Length == 2 && long.TryParse(parts[1], out var ms) && ms > 0:
                policy = Interval(ms);
                return true;
            case "bytes" when parts.Length == 2 && long.TryParse(parts[1], out var bytes) && bytes > 0:
                policy = Bytes(bytes);
                return true;
            default:
                return false;
        }
    }
}
