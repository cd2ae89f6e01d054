using System.Buffers.Binary;

namespace Freshet.Log.Segments;

/// <summary>
/// The sparse offset index of one segment: an entry every <c>IndexIntervalBytes</c> of appended
/// batches, mapping a batch's base offset (relative to the segment's) to its byte position.
/// On disk (<c>.index</c>): entries of 8 bytes, big-endian int32 relative offset then int32 position,
/// both strictly increasing. The file is a cache: it is rebuilt from the <c>.log</c> when it is
/// missing or fails <see cref="TryLoad"/>'s checks.
/// Thread-safety: one writer (the partition's append lock), lock-free readers.
/// </summary>
internal sealed class OffsetIndex
{
    public const int EntrySize = 8;

    private readonly AppendOnlyList<OffsetIndexEntry> _entries;

    public OffsetIndex(int capacity = 64)
    {
        _entries = new AppendOnlyList<OffsetIndexEntry>(capacity);
    }

    public int Count => _entries.Count;

    /// <summary>Entry <paramref name="i"/>, from 0 to <see cref="Count"/> - 1.</summary>
    public OffsetIndexEntry EntryAt(int i)
    {
        var (items, count) = _entries.Snapshot();
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)count, nameof(i));
        return items[i];
    }

    public void Add(int relativeOffset, int position) => _entries.Add(new OffsetIndexEntry(relativeOffset, position));

    /// <summary>The byte position of the last indexed batch whose base offset is at most <paramref name="relativeOffset"/>, or 0.</summary>
    public int LookupPosition(long relativeOffset)
    {
        var (items, count) = _entries.Snapshot();
        int lo = 0, hi = count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (items[mid].RelativeOffset <= relativeOffset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found < 0 ? 0 : items[found].Position;
    }

    /// <summary>Drops the entries at or past byte <paramref name="position"/> (after a truncation).</summary>
    public void TruncateToPosition(long position)
    {
        var (items, count) = _entries.Snapshot();
        var keep = count;
        while (keep > 0 && items[keep - 1].Position >= position)
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
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * EntrySize), items[i].RelativeOffset);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * EntrySize + 4), items[i].Position);
        }

        SegmentFiles.WriteAllBytesDurably(path, bytes);
    }

    /// <summary>
    /// Loads an index file, or returns null if it is missing or inconsistent with its segment:
    /// size not a multiple of 8, entries not strictly increasing, a position at or past the
    /// segment's size, or a relative offset above <paramref name="maxRelativeOffset"/>.
    /// </summary>
    public static OffsetIndex? TryLoad(string path, long segmentBytes, long maxRelativeOffset)
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

        var index = new OffsetIndex(Math.Max(16, bytes.Length / EntrySize));
        long lastOffset = -1, lastPosition = -1;
        for (var i = 0; i < bytes.Length; i += EntrySize)
        {
            var relativeOffset = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i));
            var position = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i + 4));
            if (relativeOffset <= lastOffset || position <= lastPosition || position >= segmentBytes || relativeOffset > maxRelativeOffset)
            {
                return null;
            }

            index.Add(relativeOffset, position);
            lastOffset = relativeOffset;
            lastPosition = position;
        }

        return index;
    }
}
