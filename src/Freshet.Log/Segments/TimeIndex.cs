using System.Buffers.Binary;

namespace Freshet.Log.Segments;

/// <summary>
/// The sparse time index of one segment: entries (largest timestamp so far, relative offset of the
/// batch that holds it), added beside offset index entries whenever the largest timestamp grew.
/// On disk (<c>.timeindex</c>): entries of 12 bytes, big-endian int64 timestamp then int32 relative
/// offset, both non-decreasing. Rebuilt from the <c>.log</c> when missing or inconsistent.
/// Thread-safety: one writer (the partition's append lock), lock-free readers.
/// </summary>
internal sealed class TimeIndex
{
    public const int EntrySize = 12;

    private readonly AppendOnlyList<TimeIndexEntry> _entries;

    public TimeIndex(int capacity = 64)
    {
        _entries = new AppendOnlyList<TimeIndexEntry>(capacity);
    }

    public int Count => _entries.Count;

    /// <summary>The largest timestamp indexed so far, or <see cref="long.MinValue"/>.</summary>
    public long LastTimestamp
    {
        get
        {
            var (items, count) = _entries.Snapshot();
            return count == 0 ? long.MinValue : items[count - 1].Timestamp;
        }
    }

    public void Add(long timestamp, int relativeOffset) => _entries.Add(new TimeIndexEntry(timestamp, relativeOffset));

    /// <summary>
    /// The relative offset from which a scan for the first record with timestamp at least
    /// <paramref name="timestamp"/> may start: just past the last entry whose timestamp is below it, or 0.
    /// </summary>
    public long LookupStartOffset(long timestamp)
    {
        var (items, count) = _entries.Snapshot();
        int lo = 0, hi = count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (items[mid].Timestamp < timestamp)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found < 0 ? 0 : items[found].RelativeOffset;
    }

    /// <summary>Drops the entries for offsets at or past <paramref name="relativeOffset"/> (after a truncation).</summary>
    public void TruncateToOffset(long relativeOffset)
    {
        var (items, count) = _entries.Snapshot();
        var keep = count;
        while (keep > 0 && items[keep - 1].RelativeOffset >= relativeOffset)
        {
            keep--;
        }

        _entries.Truncate(keep);
    }

    public void WriteTo(string path)
    {
        var (items, count) = _entries.Snapshot();
        var bytes = new byte[count * EntrySize];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(i * EntrySize), items[i].Timestamp);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * EntrySize + 8), items[i].RelativeOffset);
        }

        SegmentFiles.WriteAllBytesDurably(path, bytes);
    }

    /// <summary>Loads a time index file, or returns null if it is missing or inconsistent.</summary>
    public static TimeIndex? TryLoad(string path, long maxRelativeOffset)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return null;
        }

        if (bytes.Length % EntrySize != 0)
        {
            return null;
        }

        var index = new TimeIndex(Math.Max(16, bytes.Length / EntrySize));
        long lastTimestamp = long.MinValue, lastOffset = -1;
        for (var i = 0; i < bytes.Length; i += EntrySize)
        {
            var timestamp = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(i));
            var relativeOffset = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i + 8));
            if (timestamp < lastTimestamp || relativeOffset < lastOffset || relativeOffset > maxRelativeOffset)
            {
                return null;
            }

            index.Add(timestamp, relativeOffset);
            lastTimestamp = timestamp;
            lastOffset = relativeOffset;
        }

        return index;
    }
}
