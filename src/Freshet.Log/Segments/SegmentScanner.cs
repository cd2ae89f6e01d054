using System.Buffers.Binary;
using Freshet.Log.Records;
using Microsoft.Win32.SafeHandles;

namespace Freshet.Log.Segments;

/// <summary>
/// Reads the batches of a segment file in order through a buffer, checking each one's structure
/// (length, magic, offsets moving forward, or when asked following on without a gap) and, when
/// asked, its CRC. Stops at the end of the range or at the first batch that fails a check, and says
/// why in <see cref="Problem"/>.
/// Not thread-safe: one scanner per caller; the file handle may be shared (positional reads).
/// </summary>
internal sealed class SegmentScanner
{
    private const int DefaultBufferBytes = 1024 * 1024;

    private readonly SafeFileHandle _file;
    private readonly long _end;
    private readonly bool _checkCrc;
    private readonly bool _requireContiguousOffsets;
    private byte[] _buffer;
    private long _bufferPosition; // file position of _buffer[0]
    private int _bufferLength;
    private long _position;
    private long _nextExpectedOffset;

    /// <param name="minBaseOffset">The lowest base offset the first batch may have.</param>
    /// <param name="requireContiguousOffsets">When true, the first batch must start exactly at <paramref name="minBaseOffset"/>
    /// and each batch exactly after the previous one, as in a segment that was only ever appended to (never compacted).
    /// BaseOffset is the one header field the CRC does not cover, so this is the only check that catches damage to it.</param>
    public SegmentScanner(SafeFileHandle file, long start, long end, bool checkCrc, long minBaseOffset = long.MinValue, bool requireContiguousOffsets = false)
    {
        _file = file;
        _position = start;
        _end = end;
        _checkCrc = checkCrc;
        _requireContiguousOffsets = requireContiguousOffsets;
        _nextExpectedOffset = minBaseOffset;
        _buffer = new byte[(int)Math.Min(DefaultBufferBytes, Math.Max(RecordBatchHeader.Size, end - start))];
    }

    /// <summary>The file position after the last good batch returned.</summary>
    public long Position => _position;

    /// <summary>Why the scan stopped early, or null if it reached the end of the range cleanly.</summary>
    public string? Problem { get; private set; }

    public bool TryReadNext(out ScannedBatch batch)
    {
        batch = default;
        if (Problem is not null || _position >= _end)
        {
            return false;
        }

        var remaining = _end - _position;
        if (remaining < RecordBatchHeader.Size)
        {
            Problem = $"{remaining} trailing bytes are too few for a batch header";
            return false;
        }

        var head = Fill(RecordBatchHeader.Size);
        var batchLength = BinaryPrimitives.ReadInt32BigEndian(head[8..]);
        if (batchLength < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead)
        {
            Problem = $"batch length {batchLength} is invalid";
            return false;
        }

        long total = (long)batchLength + RecordBatchHeader.LogOverhead;
        if (total > remaining)
        {
            Problem = $"batch declares {total} bytes but only {remaining} remain (torn write)";
            return false;
        }

        var bytes = FillMemory((int)total);
        var header = RecordBatchHeader.Read(bytes.Span);
        if (header.Magic != RecordBatchHeader.CurrentMagic)
        {
            Problem = $"magic byte {header.Magic} is not 2";
            return false;
        }

        if (header.LastOffsetDelta < 0 || header.BaseOffset < _nextExpectedOffset
            || (_requireContiguousOffsets && header.BaseOffset != _nextExpectedOffset))
        {
            Problem = $"offsets {header.BaseOffset}..{header.LastOffset} do not follow offset {_nextExpectedOffset - 1}";
            return false;
        }

        if (_checkCrc && RecordBatchHeader.ComputeCrc(bytes.Span) != header.Crc)
        {
            Problem = $"CRC-32C mismatch in the batch at offset {header.BaseOffset}";
            return false;
        }

        batch = new ScannedBatch(_position, header, bytes);
        _position += total;
        _nextExpectedOffset = header.LastOffset + 1;
        return true;
    }

    private ReadOnlySpan<byte> Fill(int count) => FillMemory(count).Span;

    /// <summary>Makes bytes [_position, _position + count) available in the buffer and returns them.</summary>
    private ReadOnlyMemory<byte> FillMemory(int count)
    {
        var offsetInBuffer = _position - _bufferPosition;
        if (offsetInBuffer >= 0 && offsetInBuffer + count <= _bufferLength)
        {
            return _buffer.AsMemory((int)offsetInBuffer, count);
        }

        if (count > _buffer.Length)
        {
            _buffer = new byte[count];
        }

        var toRead = (int)Math.Min(_buffer.Length, _end - _position);
        var read = 0;
        while (read < toRead)
        {
            var n = RandomAccess.Read(_file, _buffer.AsSpan(read, toRead - read), _position + read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        _bufferPosition = _position;
        _bufferLength = read;
        if (read < count)
        {
            throw new IOException($"The file ended {count - read} bytes early at position {_position}.");
        }

        return _buffer.AsMemory(0, count);
    }
}
