using System.Buffers.Binary;
using Freshet.Log.Records;
using Microsoft.Win32.SafeHandles;

namespace Freshet.Log.Segments;

/// <summary>
/// One segment of a partition: a <c>.log</c> file of RecordBatch v2 batches stored exactly as
/// appended (offsets and leader epoch assigned), starting at <see cref="BaseOffset"/>, with its sparse
/// <see cref="OffsetIndex"/> and <see cref="TimeIndex"/>.
/// <para>
/// Invariants: bytes below <see cref="Size"/> are whole, valid batches with increasing offsets;
/// <see cref="Size"/> is published only after the bytes are written, so a reader never sees a
/// partial batch. Only the active (last) segment of a partition is appended to.
/// </para>
/// Thread-safety: <see cref="Append"/>, <see cref="Flush"/>, <see cref="Seal"/> and
/// <see cref="TruncateTo"/> are called under the partition's append lock; <see cref="Read"/> and
/// the properties may be called from any thread at any time (positional reads, volatile fields).
/// </summary>
internal sealed class LogSegment : IDisposable
{
    /// <summary>Timestamp value meaning "no record yet" (Kafka's NO_TIMESTAMP).</summary>
    public const long NoTimestamp = -1;

    private readonly SafeFileHandle _file;
    private readonly int _indexIntervalBytes;
    private readonly OffsetIndex _offsetIndex;
    private readonly TimeIndex _timeIndex;
    private long _size;
    private long _nextOffset;
    private long _maxTimestamp = NoTimestamp;
    private long _offsetOfMaxTimestamp;
    private long _indexedMaxTimestamp = NoTimestamp;
    private int _bytesSinceIndexEntry;
    private long _verifiedBytes;
    private long _unflushedBytes;
    private long _oldestUnflushedAtMs = -1;
    private bool _disposed;
    private bool _sealed;

    private LogSegment(string directory, long baseOffset, SafeFileHandle file, int indexIntervalBytes, OffsetIndex offsetIndex, TimeIndex timeIndex, long createdAtMs)
    {
        Directory = directory;
        BaseOffset = baseOffset;
        _file = file;
        _indexIntervalBytes = indexIntervalBytes;
        _offsetIndex = offsetIndex;
        _timeIndex = timeIndex;
        _nextOffset = baseOffset;
        CreatedAtMs = createdAtMs;
    }

    public string Directory { get; }

    public long BaseOffset { get; }

    public string LogPath => Path.Combine(Directory, SegmentFiles.FileName(BaseOffset, SegmentFiles.LogExtension));

    public string IndexPath => Path.Combine(Directory, SegmentFiles.FileName(BaseOffset, SegmentFiles.IndexExtension));

    public string TimeIndexPath => Path.Combine(Directory, SegmentFiles.FileName(BaseOffset, SegmentFiles.TimeIndexExtension));

    /// <summary>Bytes of whole batches in the file; readers never look past it.</summary>
    public long Size => Volatile.Read(ref _size);

    /// <summary>The offset after the last batch in this segment (the segment's end offset).</summary>
    public long NextOffset => Volatile.Read(ref _nextOffset);

    /// <summary>Largest record timestamp in the segment, or <see cref="NoTimestamp"/>.</summary>
    public long MaxTimestamp => Volatile.Read(ref _maxTimestamp);

    /// <summary>Wall-clock time (ms) the segment was created or first opened; drives roll by age.</summary>
    public long CreatedAtMs { get; private set; }

    /// <summary>Bytes appended since the last fsync.</summary>
    public long UnflushedBytes => Volatile.Read(ref _unflushedBytes);

    /// <summary>Wall-clock time (ms) of the oldest unflushed append, or -1.</summary>
    public long OldestUnflushedAtMs => Volatile.Read(ref _oldestUnflushedAtMs);

    /// <summary>A structural problem found when a sealed segment was opened, or null. Reads reaching it fail.</summary>
    public string? OpenProblem { get; private set; }

    public bool IsEmpty => Size == 0;

    /// <summary>Creates a new empty segment file (failing if it exists).</summary>
    public static LogSegment Create(string directory, long baseOffset, int indexIntervalBytes, long nowMs)
    {
        var path = Path.Combine(directory, SegmentFiles.FileName(baseOffset, SegmentFiles.LogExtension));
        var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        SegmentFiles.FsyncDirectory(directory);
        return new LogSegment(directory, baseOffset, file, indexIntervalBytes, new OffsetIndex(), new TimeIndex(), nowMs);
    }

    /// <summary>
    /// Opens the last segment of a partition after a restart or crash: every batch is checked
    /// (structure and CRC), the file is truncated at the first bad batch, and the indexes are rebuilt.
    /// </summary>
    /// <param name="truncation">What was dropped, or null if the file was whole.</param>
    public static LogSegment OpenAndRecover(string directory, long baseOffset, int indexIntervalBytes, long nowMs, out SegmentTruncation? truncation)
    {
        var segment = OpenFile(directory, baseOffset, indexIntervalBytes, nowMs, new OffsetIndex(), new TimeIndex());
        var fileLength = RandomAccess.GetLength(segment._file);
        // The last segment was only ever appended to (compaction never touches the active segment),
        // so its offsets run on from its base offset without a gap.
        var scanner = new SegmentScanner(segment._file, 0, fileLength, checkCrc: true, minBaseOffset: baseOffset, requireContiguousOffsets: true);
        while (scanner.TryReadNext(out var batch))
        {
            segment.Index(batch.Position, batch.Header.BaseOffset, batch.Header.LastOffset, batch.Header.MaxTimestamp, batch.Header.TotalSize);
        }

        truncation = null;
        if (scanner.Problem is not null)
        {
            truncation = new SegmentTruncation(segment.LogPath, scanner.Position, fileLength - scanner.Position, scanner.Problem);
            RandomAccess.SetLength(segment._file, scanner.Position);
            RandomAccess.FlushToDisk(segment._file);
        }

        segment._size = scanner.Position;
        segment._verifiedBytes = scanner.Position;
        return segment;
    }

    /// <summary>
    /// Opens a sealed segment: loads its index files when they are consistent, otherwise rebuilds
    /// them by scanning the batch headers. Does not modify the <c>.log</c> file; a structural
    /// problem is kept in <see cref="OpenProblem"/> and reported by reads that reach it.
    /// </summary>
    /// <param name="nextSegmentBaseOffset">Base offset of the following segment: no offset here may reach it.</param>
    /// <param name="indexesRebuilt">True if an index file was missing or inconsistent and was rewritten.</param>
    public static LogSegment OpenSealed(string directory, long baseOffset, int indexIntervalBytes, long nowMs, long nextSegmentBaseOffset, out bool indexesRebuilt)
    {
        var logPath = Path.Combine(directory, SegmentFiles.FileName(baseOffset, SegmentFiles.LogExtension));
        var file = File.OpenHandle(logPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        LogSegment segment;
        long fileLength;
        try
        {
            fileLength = RandomAccess.GetLength(file);
            var maxRelative = nextSegmentBaseOffset - baseOffset - 1;
            var offsetIndex = OffsetIndex.TryLoad(Path.Combine(directory, SegmentFiles.FileName(baseOffset, SegmentFiles.IndexExtension)), fileLength, maxRelative);
            var timeIndex = TimeIndex.TryLoad(Path.Combine(directory, SegmentFiles.FileName(baseOffset, SegmentFiles.TimeIndexExtension)), maxRelative);
            indexesRebuilt = offsetIndex is null || timeIndex is null || !EntriesPointAtBatches(file, baseOffset, offsetIndex);
            segment = new LogSegment(directory, baseOffset, file, indexIntervalBytes, indexesRebuilt ? new OffsetIndex() : offsetIndex!, indexesRebuilt ? new TimeIndex() : timeIndex!, nowMs);
        }
        catch
        {
            file.Dispose();
            throw;
        }

        // Scan from the last indexed batch (or the start when rebuilding) to learn the end offset
        // and largest timestamp; only headers are checked, CRCs are checked when data is read.
        long start = 0;
        if (!indexesRebuilt)
        {
            start = segment._offsetIndex.LookupPosition(long.MaxValue);
            segment._maxTimestamp = segment._timeIndex.LastTimestamp == long.MinValue ? NoTimestamp : segment._timeIndex.LastTimestamp;
            segment._indexedMaxTimestamp = segment._maxTimestamp;
        }

        var scanner = new SegmentScanner(segment._file, start, fileLength, checkCrc: false, minBaseOffset: baseOffset);
        while (scanner.TryReadNext(out var batch))
        {
            if (batch.Header.LastOffset >= nextSegmentBaseOffset)
            {
                segment.OpenProblem = $"the batch at position {batch.Position} holds offsets {batch.Header.BaseOffset}..{batch.Header.LastOffset}, overlapping the next segment";
                break;
            }

            if (indexesRebuilt)
            {
                segment.Index(batch.Position, batch.Header.BaseOffset, batch.Header.LastOffset, batch.Header.MaxTimestamp, batch.Header.TotalSize);
            }
            else
            {
                segment.TrackEnd(batch.Header.LastOffset, batch.Header.MaxTimestamp);
            }
        }

        segment._sealed = true;
        segment.OpenProblem ??= scanner.Problem is null ? null : $"{scanner.Problem} at byte position {scanner.Position}";
        segment._size = fileLength;
        if (indexesRebuilt)
        {
            segment.WriteIndexes();
        }

        return segment;
    }

    /// <summary>
    /// Whether the first and last entries of a loaded offset index point at batch headers carrying the
    /// offsets the entries claim. An index that passes <see cref="OffsetIndex.TryLoad"/> can still
    /// belong to another file (a restored backup, a copy); trusting it would make reads of a healthy
    /// segment start in the middle of a batch and fail, or skip records. Two 8-byte reads; the entries
    /// in between are not checked.
    /// </summary>
    private static bool EntriesPointAtBatches(SafeFileHandle file, long baseOffset, OffsetIndex index)
    {
        if (index.Count == 0)
        {
            return true;
        }

        Span<byte> storedOffset = stackalloc byte[8];
        foreach (var entry in (ReadOnlySpan<OffsetIndexEntry>)[index.EntryAt(0), index.EntryAt(index.Count - 1)])
        {
            if (RandomAccess.Read(file, storedOffset, entry.Position) != storedOffset.Length
                || BinaryPrimitives.ReadInt64BigEndian(storedOffset) != baseOffset + entry.RelativeOffset)
            {
                return false;
            }
        }

        return true;
    }

    private static LogSegment OpenFile(string directory, long baseOffset, int indexIntervalBytes, long nowMs, OffsetIndex offsetIndex, TimeIndex timeIndex)
    {
        var path = Path.Combine(directory, SegmentFiles.FileName(baseOffset, SegmentFiles.LogExtension));
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        return new LogSegment(directory, baseOffset, file, indexIntervalBytes, offsetIndex, timeIndex, nowMs);
    }

    /// <summary>
    /// Writes validated batches with their assigned base offsets and <paramref name="leaderEpoch"/> as
    /// their PartitionLeaderEpoch at the end of the file, then updates the indexes and publishes the new
    /// size. Both fields lie before the CRC-covered part, so the batches stay valid. The caller's buffer is
    /// not modified: the new header prefixes are gathered into the write.
    /// </summary>
    public void Append(ReadOnlyMemory<byte> buffer, ReadOnlySpan<SegmentAppend> batches, long nowMs, int leaderEpoch)
    {
        // BaseOffset int64, BatchLength int32 (copied), PartitionLeaderEpoch int32.
        const int PrefixBytes = RecordBatchHeader.PartitionLeaderEpochOffset + 4;
        var position = _size;
        var pieces = new ReadOnlyMemory<byte>[batches.Length * 2];
        var prefixes = new byte[batches.Length * PrefixBytes];
        long total = 0;
        for (var i = 0; i < batches.Length; i++)
        {
            var prefix = prefixes.AsSpan(i * PrefixBytes, PrefixBytes);
            BinaryPrimitives.WriteInt64BigEndian(prefix, batches[i].BaseOffset);
            buffer.Span.Slice(batches[i].BufferPosition + 8, 4).CopyTo(prefix[8..]);
            BinaryPrimitives.WriteInt32BigEndian(prefix[RecordBatchHeader.PartitionLeaderEpochOffset..], leaderEpoch);
            pieces[2 * i] = prefixes.AsMemory(i * PrefixBytes, PrefixBytes);
            pieces[(2 * i) + 1] = buffer.Slice(batches[i].BufferPosition + PrefixBytes, batches[i].Size - PrefixBytes);
            total += batches[i].Size;
        }

        try
        {
            RandomAccess.Write(_file, pieces, position);
        }
        catch
        {
            // Leave no torn bytes behind a failed write so the next append starts clean.
            TryTruncateFile(position);
            throw;
        }

        foreach (var batch in batches)
        {
            Index(position, batch.BaseOffset, batch.LastOffset, batch.MaxTimestamp, batch.Size);
            position += batch.Size;
        }

        if (_oldestUnflushedAtMs < 0)
        {
            Volatile.Write(ref _oldestUnflushedAtMs, nowMs);
        }

        Volatile.Write(ref _unflushedBytes, _unflushedBytes + total);
        Volatile.Write(ref _verifiedBytes, position);
        Volatile.Write(ref _size, position);
    }

    /// <summary>Writes already-stored batches (with their final offsets) verbatim, as compaction does when building a replacement segment.</summary>
    public void AppendStored(ReadOnlySpan<byte> batch, in RecordBatchHeader header)
    {
        var position = _size;
        RandomAccess.Write(_file, batch, position);
        Index(position, header.BaseOffset, header.LastOffset, header.MaxTimestamp, header.TotalSize);
        Volatile.Write(ref _verifiedBytes, position + header.TotalSize);
        Volatile.Write(ref _size, position + header.TotalSize);
    }

    private void Index(long position, long baseOffset, long lastOffset, long maxTimestamp, int size)
    {
        if (_bytesSinceIndexEntry > _indexIntervalBytes)
        {
            _offsetIndex.Add((int)(baseOffset - BaseOffset), (int)position);
            if (_maxTimestamp > _indexedMaxTimestamp)
            {
                _timeIndex.Add(_maxTimestamp, (int)(_offsetOfMaxTimestamp - BaseOffset));
                _indexedMaxTimestamp = _maxTimestamp;
            }

            _bytesSinceIndexEntry = 0;
        }

        _bytesSinceIndexEntry += size;
        TrackEnd(lastOffset, maxTimestamp);
    }

    private void TrackEnd(long lastOffset, long maxTimestamp)
    {
        if (maxTimestamp > _maxTimestamp)
        {
            Volatile.Write(ref _maxTimestamp, maxTimestamp);
            _offsetOfMaxTimestamp = lastOffset;
        }

        Volatile.Write(ref _nextOffset, lastOffset + 1);
    }

    /// <summary>
    /// Reads whole batches starting with the one that holds <paramref name="offset"/> (or the first
    /// after it), up to <paramref name="maxBytes"/> but always at least one whole batch. Batches not
    /// yet verified since the file was opened are CRC-checked before they are returned.
    /// </summary>
    /// <returns>The stored bytes, or empty if no batch in this segment reaches <paramref name="offset"/>.</returns>
    /// <exception cref="LogException">With <see cref="LogErrorCode.KafkaStorageError"/> when stored data is corrupt, naming the file and position.</exception>
    public ReadOnlyMemory<byte> Read(long offset, int maxBytes)
    {
        var size = Size;
        if (!TryFindBatch(offset, size, out var position, out var first))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var buffer = GC.AllocateUninitializedArray<byte>((int)Math.Min(size - position, Math.Max(maxBytes, first.TotalSize)));
        var written = CopyWholeBatches(position, buffer);
        return buffer.AsMemory(0, written);
    }

    /// <summary>
    /// Like <see cref="Read"/>, but copies into <paramref name="destination"/> instead of allocating.
    /// </summary>
    /// <param name="firstBatchBytes">Size of the first batch that reaches <paramref name="offset"/>, or 0 if none does.
    /// When it exceeds the destination, nothing is copied.</param>
    /// <returns>Bytes of whole batches copied.</returns>
    public int ReadInto(long offset, Span<byte> destination, out int firstBatchBytes)
    {
        var size = Size;
        if (!TryFindBatch(offset, size, out var position, out var first))
        {
            firstBatchBytes = 0;
            return 0;
        }

        firstBatchBytes = first.TotalSize;
        if (first.TotalSize > destination.Length)
        {
            return 0;
        }

        return CopyWholeBatches(position, destination[..(int)Math.Min(size - position, destination.Length)]);
    }

    /// <summary>Finds the first batch whose last offset is at least <paramref name="offset"/>, below byte <paramref name="size"/>.</summary>
    private bool TryFindBatch(long offset, long size, out long position, out RecordBatchHeader first)
    {
        position = _offsetIndex.LookupPosition(offset - BaseOffset);
        Span<byte> head = stackalloc byte[RecordBatchHeader.Size];
        while (position < size)
        {
            first = ReadHeaderAt(position, size, head);
            if (first.LastOffset >= offset)
            {
                return true;
            }

            position += first.TotalSize;
        }

        first = default;
        return false;
    }

    /// <summary>Fills <paramref name="buffer"/> from byte <paramref name="position"/>, keeps only whole batches, and CRC-checks any not yet verified.</summary>
    /// <returns>Bytes of whole batches at the start of the buffer.</returns>
    private int CopyWholeBatches(long position, Span<byte> buffer)
    {
        ReadExactly(buffer, position);
        var end = 0;
        while (end + RecordBatchHeader.LogOverhead <= buffer.Length)
        {
            var batchTotal = (long)BinaryPrimitives.ReadInt32BigEndian(buffer[(end + 8)..]) + RecordBatchHeader.LogOverhead;
            if (batchTotal < RecordBatchHeader.Size)
            {
                throw Corrupt(position + end, $"batch length {batchTotal - RecordBatchHeader.LogOverhead} is invalid");
            }

            if (end + batchTotal > buffer.Length)
            {
                break;
            }

            end += (int)batchTotal;
        }

        VerifyIfNeeded(buffer[..end], position);
        return end;
    }

    /// <summary>Calls <paramref name="visit"/> for each batch header from the one holding <paramref name="offset"/> on, until it returns false.</summary>
    public void ScanHeaders(long offset, Func<RecordBatchHeader, long, bool> visit)
    {
        var size = Size;
        long position = _offsetIndex.LookupPosition(offset - BaseOffset);
        Span<byte> head = stackalloc byte[RecordBatchHeader.Size];
        while (position < size)
        {
            var header = ReadHeaderAt(position, size, head);
            if (header.LastOffset >= offset && !visit(header, position))
            {
                return;
            }

            position += header.TotalSize;
        }
    }

    /// <summary>The relative offset where a search for timestamp <paramref name="timestamp"/> may start.</summary>
    public long TimeIndexStartOffset(long timestamp) => BaseOffset + _timeIndex.LookupStartOffset(timestamp);

    /// <summary>Creates a scanner over this segment's committed bytes (used by compaction and tests).</summary>
    public SegmentScanner CreateScanner(bool checkCrc) => new(_file, 0, Size, checkCrc, BaseOffset);

    private RecordBatchHeader ReadHeaderAt(long position, long size, Span<byte> head)
    {
        if (size - position < RecordBatchHeader.Size)
        {
            throw Corrupt(position, $"only {size - position} bytes remain, too few for a batch header");
        }

        ReadExactly(head, position);
        var header = RecordBatchHeader.Read(head);
        if (header.Magic != RecordBatchHeader.CurrentMagic || header.BatchLength < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead
            || header.TotalSize > size - position || header.LastOffsetDelta < 0 || header.BaseOffset < BaseOffset)
        {
            throw Corrupt(position, $"the batch header is invalid (magic {header.Magic}, length {header.BatchLength}, offset {header.BaseOffset})");
        }

        return header;
    }

    private void VerifyIfNeeded(ReadOnlySpan<byte> batches, long position)
    {
        var verified = Volatile.Read(ref _verifiedBytes);
        var end = position + batches.Length;
        if (end <= verified)
        {
            return;
        }

        var at = 0;
        while (at < batches.Length)
        {
            var header = RecordBatchHeader.Read(batches[at..]);
            var batch = batches.Slice(at, header.TotalSize);
            if (position + at + header.TotalSize > verified && RecordBatchHeader.ComputeCrc(batch) != header.Crc)
            {
                throw Corrupt(position + at, $"CRC-32C mismatch in the batch at offset {header.BaseOffset}");
            }

            at += header.TotalSize;
        }

        if (position <= verified)
        {
            // Contiguous with the verified prefix: extend it. Racing readers may both extend; the larger value wins.
            long current;
            while ((current = Volatile.Read(ref _verifiedBytes)) < end)
            {
                if (Interlocked.CompareExchange(ref _verifiedBytes, end, current) == current)
                {
                    break;
                }
            }
        }
    }

    private LogException Corrupt(long position, string problem) =>
        new(LogErrorCode.KafkaStorageError, $"Corrupt data in segment file '{LogPath}' at byte position {position}: {problem}.");

    private void ReadExactly(Span<byte> destination, long position)
    {
        var read = 0;
        while (read < destination.Length)
        {
            var n = RandomAccess.Read(_file, destination[read..], position + read);
            if (n == 0)
            {
                throw Corrupt(position + read, "the file is shorter than its recorded size");
            }

            read += n;
        }
    }

    /// <summary>fsyncs the log file (index files are rebuilt on recovery and need no fsync here).</summary>
    public void Flush()
    {
        RandomAccess.FlushToDisk(_file);
        Volatile.Write(ref _unflushedBytes, 0);
        Volatile.Write(ref _oldestUnflushedAtMs, -1);
    }

    /// <summary>Makes the segment read-only from now on: fsyncs the data and writes the index files.</summary>
    public void Seal()
    {
        Flush();
        WriteIndexes();
        _sealed = true;
    }

    private void WriteIndexes()
    {
        _offsetIndex.WriteTo(IndexPath);
        _timeIndex.WriteTo(TimeIndexPath);
    }

    /// <summary>Drops every batch at or after <paramref name="position"/> (which must be a batch boundary).</summary>
    public void TruncateTo(long position, long nextOffset)
    {
        Volatile.Write(ref _size, position);
        RandomAccess.SetLength(_file, position);
        _offsetIndex.TruncateToPosition(position);
        _timeIndex.TruncateToOffset(nextOffset - BaseOffset);
        Volatile.Write(ref _nextOffset, nextOffset);
    }

    private void TryTruncateFile(long length)
    {
        try
        {
            RandomAccess.SetLength(_file, length);
        }
        catch (IOException)
        {
            // Recovery truncates at the first invalid batch if this fails too.
        }
    }

    /// <summary>Renames this segment's files with <paramref name="suffix"/> appended (they stay readable through open handles).</summary>
    public void RenameFiles(string suffix)
    {
        foreach (var path in new[] { LogPath, IndexPath, TimeIndexPath })
        {
            if (File.Exists(path))
            {
                File.Move(path, path + suffix, overwrite: true);
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _file.Dispose();
    }

    /// <summary>Closes the file; an unsealed segment is fsynced and its indexes written first, so the next open need not rebuild them.</summary>
    public void Close()
    {
        if (!_disposed && !_sealed)
        {
            Flush();
            WriteIndexes();
        }

        Dispose();
    }
}
