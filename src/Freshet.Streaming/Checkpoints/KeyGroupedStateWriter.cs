using System.Buffers.Binary;

namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// Encodes raw (key, entry) byte pairs in the layout of <see cref="KeyGroupedStateSnapshot"/> — the one place that
/// writes that layout, shared by the heap snapshot (which serializes its objects first) and the RocksDB snapshot
/// (which copies stored bytes). Entries must be added in ascending key-group order; each group's header (entry count,
/// byte length) is written when the group is closed, so the bytes are copied once into the output buffer.
/// <para>Not thread-safe: one writer per snapshot, used by one thread.</para>
/// </summary>
internal sealed class KeyGroupedStateWriter
{
    private const int GroupHeaderBytes = 16;

    private readonly int _maxParallelism;
    private byte[] _buffer;
    private int _length;
    private int _groupCount;
    private int _currentGroup = -1;
    private int _currentGroupHeaderAt;
    private int _currentGroupEntries;

    /// <summary>Starts an empty snapshot of a job with <paramref name="maxParallelism"/> key groups.</summary>
    /// <param name="maxParallelism">Number of key groups of the job.</param>
    /// <param name="capacityHint">Initial buffer size in bytes (grows by doubling).</param>
    public KeyGroupedStateWriter(int maxParallelism, int capacityHint = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxParallelism);
        _maxParallelism = maxParallelism;
        _buffer = new byte[Math.Max(capacityHint, KeyGroupedStateSnapshot.HeaderBytes + GroupHeaderBytes)];
        _buffer[0] = KeyGroupedStateSnapshot.Version;
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(1), maxParallelism);
        _length = KeyGroupedStateSnapshot.HeaderBytes;
    }

    /// <summary>Number of entries added so far.</summary>
    public long EntryCount { get; private set; }

    /// <summary>
    /// Appends one entry of <paramref name="keyGroup"/>, which must be at least the key group of the previous entry
    /// (entries of one group are contiguous); throws <see cref="ArgumentOutOfRangeException"/> for a group outside
    /// <c>0 .. maxParallelism - 1</c> and <see cref="ArgumentException"/> for a group out of order.
    /// </summary>
    public void Add(int keyGroup, ReadOnlySpan<byte> key, ReadOnlySpan<byte> entry)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keyGroup);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(keyGroup, _maxParallelism);
        if (keyGroup != _currentGroup)
        {
            if (keyGroup < _currentGroup)
            {
                throw new ArgumentException($"Key group {keyGroup} added after key group {_currentGroup}; entries must come in ascending key-group order.", nameof(keyGroup));
            }

            CloseGroup();
            EnsureCapacity(GroupHeaderBytes);
            _currentGroup = keyGroup;
            _currentGroupHeaderAt = _length;
            _currentGroupEntries = 0;
            _groupCount++;
            _length += GroupHeaderBytes;
        }

        EnsureCapacity(8L + key.Length + entry.Length);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), key.Length);
        key.CopyTo(_buffer.AsSpan(_length + 4));
        _length += 4 + key.Length;
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), entry.Length);
        entry.CopyTo(_buffer.AsSpan(_length + 4));
        _length += 4 + entry.Length;
        _currentGroupEntries++;
        EntryCount++;
    }

    /// <summary>The finished snapshot (a copy of exactly its length). The writer may go on receiving entries of later groups.</summary>
    public byte[] ToArray()
    {
        CloseGroup();
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(5), _groupCount);
        return _buffer.AsSpan(0, _length).ToArray();
    }

    /// <summary>Writes the header of the open group, if any (idempotent: the header is rewritten with the same facts).</summary>
    private void CloseGroup()
    {
        if (_currentGroup < 0)
        {
            return;
        }

        var header = _buffer.AsSpan(_currentGroupHeaderAt, GroupHeaderBytes);
        BinaryPrimitives.WriteInt32BigEndian(header, _currentGroup);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], _currentGroupEntries);
        BinaryPrimitives.WriteInt64BigEndian(header[8..], _length - _currentGroupHeaderAt - GroupHeaderBytes);
    }

    private void EnsureCapacity(long extra)
    {
        var needed = _length + extra;
        if (needed <= _buffer.Length)
        {
            return;
        }

        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException($"A keyed state snapshot is limited to {Array.MaxLength} bytes (one array); this state is larger.");
        }

        var size = (int)Math.Min(Math.Max((long)_buffer.Length * 2, needed), Array.MaxLength);
        Array.Resize(ref _buffer, size);
    }
}
