using System.Buffers.Binary;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Segments;
using Freshet.Log.Topics;

namespace Freshet.Log.Compaction;

/// <summary>
/// Compacts one partition of a topic whose cleanup policy includes <see cref="CleanupPolicy.Compact"/>
/// (Kafka's log cleaner): only the latest record of each key is kept, and tombstones (records with a
/// null value) are dropped once they have expired.
/// <para>
/// A pass: (1) builds a <see cref="KeyOffsetMap"/> over every segment, the active segment's committed
/// bytes included, so a newer value still in the active segment supersedes older ones; (2) walks the
/// sealed segments oldest first and, for each one holding a record to drop, writes a replacement
/// <c>BASE.log.cleaned</c>, fsyncs it, and swaps it in (below). The active segment is never rewritten.
/// </para>
/// <para>
/// Rules that keep readers correct: offsets never change. A rewritten batch keeps its original
/// <c>BaseOffset</c> and <c>LastOffsetDelta</c> (as Kafka does, so a batch's offset range and an
/// idempotent producer's sequence range survive even when its first or last records go), each kept
/// record keeps its absolute offset (gaps are fine), and the batch keeps its codec, producer id,
/// epoch, base sequence, transactional flag, timestamp type and leader epoch. A batch nothing is
/// dropped from is copied byte for byte. Control batches are kept as they are (transaction markers:
/// removing them belongs with the transaction coordinator).
/// Transactions: only offsets below the partition's <c>LastStableOffset</c> count: a record of a
/// transaction still open never supersedes a committed one, and a sealed segment reaching the
/// <c>LastStableOffset</c> is not cleaned. Records of aborted transactions never supersede anything and
/// are removed (their batch handled like any batch left empty). Records without a key, which only a topic
/// switched from delete to compact can hold, are kept. When every record of an idempotent producer's
/// batch goes and it is that producer's last batch in the log, an empty batch (no records, same
/// header fields) is kept so its sequence state survives a rebuild from the log.
/// </para>
/// <para>
/// Tombstone rule: a tombstone is dropped once <c>now - its record timestamp &gt; DeleteRetentionMs</c>
/// and no newer record has its key (in which case it is simply superseded). The timestamp is the
/// producer's create time, or the log append time for batches of that type: a producer that writes
/// tombstones with old timestamps gets them dropped at the first pass after their segment is sealed.
/// Tombstones in the active segment are never dropped. Segments are cleaned oldest first, so an
/// expired tombstone goes only in a swap after the one that removed the values it deleted: a crash
/// between swaps never resurrects a deleted key.
/// </para>
/// <para>
/// Swap protocol for segment <c>B</c>, crash-safe at every step (on open, <c>Partition</c> deletes
/// <c>*.cleaned</c> and completes <c>*.swap</c> by renaming it over the <c>.log</c>):
/// write and fsync <c>B.log.cleaned</c>; delete B's <c>.index</c> and <c>.timeindex</c> (caches, rebuilt
/// from the log on open, and never to be paired with the other log file); rename to <c>B.log.swap</c>
/// and fsync the directory (the commit point: from here recovery yields the new content); rename over
/// <c>B.log</c>; open the new file as a sealed segment (rebuilding its indexes); then, under the
/// partition's append lock only, publish it in place of the old segment
/// (<see cref="Partition.ReplaceSegments"/>). The old segment's handle stays open for readers that
/// already hold it and is closed after the file-delete delay (its file was replaced, not renamed).
/// A segment left with no batch at all is removed instead (renamed <c>.deleted</c>), except the first,
/// which is kept empty so that <c>LogStartOffset</c> does not move.
/// </para>
/// Thread-safety: not thread-safe; the owning partition runs it under its maintenance lock, which
/// also excludes retention. Appends and reads are never blocked except for the array swap.
/// </summary>
internal sealed class LogCompactor
{
    private readonly Partition _partition;
    private readonly TimeProvider _clock;

    // What the last pass saw, to skip a pass when nothing could have changed. Guarded by the
    // partition's maintenance lock like the rest of this object.
    private LogSegment[]? _lastSegments;
    private long _lastLogEndOffset = -1;
    private TopicConfig? _lastConfig;
    private long _nextTombstoneExpiryMs = long.MaxValue;

    public LogCompactor(Partition partition, TimeProvider clock)
    {
        _partition = partition;
        _clock = clock;
    }

    /// <summary>Runs one pass. The caller holds the partition's maintenance lock.</summary>
    /// <exception cref="LogException"><see cref="LogErrorCode.KafkaStorageError"/> when a segment cannot be read whole; nothing is changed then.</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> fires; segments swapped so far stay swapped.</exception>
    public CompactionResult Run(CancellationToken cancellationToken)
    {
        var config = _partition.Config;
        var segments = _partition.Segments;
        var logEndOffset = _partition.LogEndOffset;
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        if ((config.CleanupPolicy & CleanupPolicy.Compact) == 0 || segments.Length < 2)
        {
            return CompactionResult.NothingToDo;
        }

        // With a minimum compaction lag, segments become cleanable as time passes, so a pass over
        // unchanged segments may still have work: the shortcut applies only without one.
        if (ReferenceEquals(segments, _lastSegments) && logEndOffset == _lastLogEndOffset
            && ReferenceEquals(config, _lastConfig) && now < _nextTombstoneExpiryMs && config.MinCompactionLagMs == 0)
        {
            return CompactionResult.Unchanged;
        }

        var lastStableOffset = _partition.LastStableOffset;
        var pass = new CompactionPass(config.DeleteRetentionMs, now, lastStableOffset, _partition.AbortedTransactionsByProducer(_partition.LogStartOffset, lastStableOffset));
        foreach (var segment in segments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MapSegment(segment, pass);
        }

        int rewritten = 0, removed = 0;
        long bytesBefore = 0, bytesAfter = 0;
        // min.compaction.lag.ms: a segment holding a record younger than the lag, and every later one, stays
        // as written, so every record younger than the lag is still there for readers.
        var youngestCleanableMs = config.MinCompactionLagMs == 0 ? long.MaxValue : now - config.MinCompactionLagMs;
        for (var i = 0; i < segments.Length - 1 && segments[i + 1].BaseOffset <= lastStableOffset && segments[i].MaxTimestamp <= youngestCleanableMs; i++)
        {
            var segment = segments[i];
            var outcome = CleanSegment(segment, isFirst: i == 0, nextBaseOffset: segments[i + 1].BaseOffset, pass, cancellationToken);
            if (!outcome.Changed)
            {
                continue;
            }

            bytesBefore += segment.Size;
            if (outcome.Replacement is null)
            {
                _partition.ReplaceSegments([segment], []);
                _partition.RetireSegment(segment, renameFiles: true);
                removed++;
            }
            else
            {
                bytesAfter += outcome.Replacement.Size;
                _partition.ReplaceSegments([segment], [outcome.Replacement]);
                _partition.RetireSegment(segment, renameFiles: false);
                rewritten++;
            }
        }

        // Remember what this pass covered only if no roll happened meanwhile (a roll seals a segment
        // this pass did not clean); the next pass then runs again.
        var after = _partition.Segments;
        _lastSegments = ReferenceEquals(after[^1], segments[^1]) ? after : null;
        _lastLogEndOffset = logEndOffset;
        _lastConfig = config;
        _nextTombstoneExpiryMs = pass.NextTombstoneExpiryMs;
        return new CompactionResult(false, rewritten, removed, pass.RecordsRemoved, bytesBefore, bytesAfter);
    }

    private static void MapSegment(LogSegment segment, CompactionPass pass)
    {
        var scanner = segment.CreateScanner(checkCrc: true);
        while (scanner.TryReadNext(out var batch))
        {
            var header = batch.Header;
            if (header.IsControl)
            {
                continue;
            }

            if (header.HasProducerId)
            {
                pass.LastBatchOfProducer[header.ProducerId] = header.LastOffset;
            }

            if (header.BaseOffset >= pass.LastStableOffset || Partition.IsAborted(header, pass.AbortedTransactions))
            {
                continue;
            }

            foreach (var record in RecordBatchReader.DecodeBatch(batch.Bytes.Span))
            {
                if (record.Key is not null)
                {
                    pass.Map.Put(record.Key, record.Offset);
                }
            }
        }

        ThrowIfScanFailed(segment, scanner);
    }

    /// <summary>
    /// Filters one sealed segment. Changed is false when nothing in it is dropped (the file is left
    /// alone); otherwise Replacement is the swapped-in new segment, or null when the segment is to be removed.
    /// </summary>
    private (bool Changed, LogSegment? Replacement) CleanSegment(LogSegment segment, bool isFirst, long nextBaseOffset, CompactionPass pass, CancellationToken cancellationToken)
    {
        var cleanedPath = segment.LogPath + SegmentFiles.CleanedSuffix;
        FileStream? output = null;
        var keptBatches = 0;
        try
        {
            var scanner = segment.CreateScanner(checkCrc: true);
            while (scanner.TryReadNext(out var batch))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var position = batch.Position;
                var verdict = Filter(batch, pass, out var replacement);
                if (verdict == BatchVerdict.KeepAsIs)
                {
                    output?.Write(batch.Bytes.Span);
                    keptBatches++;
                    continue;
                }

                if (output is null)
                {
                    // First change in this segment: only now is a replacement worth writing.
                    output = new FileStream(cleanedPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
                    CopyPrefix(segment, position, output);
                }

                if (verdict == BatchVerdict.Replace)
                {
                    output.Write(replacement);
                    keptBatches++;
                }
            }

            ThrowIfScanFailed(segment, scanner);
            if (output is null)
            {
                return (false, null);
            }

            if (keptBatches == 0 && !isFirst)
            {
                output.Dispose();
                output = null;
                File.Delete(cleanedPath);
                return (true, null);
            }

            output.Flush(flushToDisk: true);
            output.Dispose();
            output = null;
            return (true, SwapIn(segment, cleanedPath, nextBaseOffset));
        }
        catch
        {
            output?.Dispose();
            TryDelete(cleanedPath);
            throw;
        }
    }

    private static BatchVerdict Filter(in ScannedBatch batch, CompactionPass pass, out byte[] replacement)
    {
        replacement = [];
        var header = batch.Header;
        if (header.IsControl)
        {
            return BatchVerdict.KeepAsIs;
        }

        var records = RecordBatchReader.DecodeBatch(batch.Bytes.Span);
        if (header.BaseOffset < pass.LastStableOffset && Partition.IsAborted(header, pass.AbortedTransactions))
        {
            pass.RecordsRemoved += records.Length;
            return WithoutRecords(batch, pass, out replacement);
        }

        List<LogRecord>? kept = null;
        for (var i = 0; i < records.Length; i++)
        {
            var record = records[i];
            if (ShouldKeep(record, pass))
            {
                kept?.Add(record);
                if (record.Value is null)
                {
                    pass.NoteKeptTombstone(record.Timestamp);
                }
            }
            else if (kept is null)
            {
                kept = new List<LogRecord>(records.Length);
                for (var j = 0; j < i; j++)
                {
                    kept.Add(records[j]);
                }
            }
        }

        if (kept is null)
        {
            return BatchVerdict.KeepAsIs;
        }

        pass.RecordsRemoved += records.Length - kept.Count;
        if (kept.Count > 0)
        {
            replacement = Rebuild(header, kept);
            return BatchVerdict.Replace;
        }

        return WithoutRecords(batch, pass, out replacement);
    }

    /// <summary>A batch all of whose records go: kept empty if it is its idempotent producer's last batch, else dropped.</summary>
    private static BatchVerdict WithoutRecords(in ScannedBatch batch, CompactionPass pass, out byte[] replacement)
    {
        replacement = [];
        var header = batch.Header;
        if (header.HasProducerId && pass.LastBatchOfProducer.TryGetValue(header.ProducerId, out var last) && last == header.LastOffset)
        {
            replacement = EmptyBatch(batch.Bytes.Span);
            return BatchVerdict.Replace;
        }

        return BatchVerdict.Drop;
    }

    private static bool ShouldKeep(LogRecord record, CompactionPass pass)
    {
        if (record.Key is null || !pass.Map.TryGetLatest(record.Key, out var latest))
        {
            return true;
        }

        if (latest > record.Offset)
        {
            return false;
        }

        // Written as a comparison against NowMs - DeleteRetentionMs so that a wild timestamp cannot overflow.
        return record.Value is not null || record.Timestamp >= pass.NowMs - pass.DeleteRetentionMs;
    }

    /// <summary>Re-encodes the kept records of a batch at their own offsets, keeping the batch's header fields and offset range.</summary>
    private static byte[] Rebuild(in RecordBatchHeader header, List<LogRecord> kept)
    {
        var builder = new RecordBatchBuilder
        {
            Compression = header.Compression,
            ProducerId = header.ProducerId,
            ProducerEpoch = header.ProducerEpoch,
            BaseSequence = header.BaseSequence,
            IsTransactional = header.IsTransactional,
            PartitionLeaderEpoch = header.PartitionLeaderEpoch,
            LogAppendTimeMs = header.IsLogAppendTime ? header.MaxTimestamp : null,
        };
        foreach (var record in kept)
        {
            builder.AddWithOffset(record);
        }

        var bytes = builder.Build(header.BaseOffset);

        // Keep the original last offset, which the builder would pull back to the last kept record.
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), header.LastOffsetDelta);
        RecordBatchHeader.WriteCrc(bytes);
        return bytes;
    }

    /// <summary>A batch with the original header fields and no records (uncompressed: an empty codec frame is not valid for every codec).</summary>
    private static byte[] EmptyBatch(ReadOnlySpan<byte> original)
    {
        var bytes = original[..RecordBatchHeader.Size].ToArray();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), RecordBatchHeader.Size - RecordBatchHeader.LogOverhead);
        var attributes = BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(RecordBatchHeader.AttributesOffset));
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(RecordBatchHeader.AttributesOffset), (short)(attributes & ~RecordBatchHeader.CompressionMask));
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(RecordBatchHeader.RecordCountOffset), 0);
        RecordBatchHeader.WriteCrc(bytes);
        return bytes;
    }

    /// <summary>Copies the batches before <paramref name="end"/> (kept unchanged) into the replacement.</summary>
    private static void CopyPrefix(LogSegment segment, long end, FileStream output)
    {
        var scanner = segment.CreateScanner(checkCrc: false);
        while (scanner.Position < end && scanner.TryReadNext(out var batch))
        {
            output.Write(batch.Bytes.Span);
        }

        if (scanner.Position != end)
        {
            throw new LogException(LogErrorCode.KafkaStorageError, $"Compaction of '{segment.LogPath}' could not re-read its first {end} bytes: {scanner.Problem ?? "the batches moved"}.");
        }
    }

    /// <summary>Steps of the swap protocol in the class summary; returns the new segment, not yet published.</summary>
    private LogSegment SwapIn(LogSegment old, string cleanedPath, long nextBaseOffset)
    {
        var directory = old.Directory;
        TryDelete(old.IndexPath);
        TryDelete(old.TimeIndexPath);
        var swapPath = old.LogPath + SegmentFiles.SwapSuffix;
        File.Move(cleanedPath, swapPath, overwrite: true);
        SegmentFiles.FsyncDirectory(directory);
        File.Move(swapPath, old.LogPath, overwrite: true);
        SegmentFiles.FsyncDirectory(directory);
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        return LogSegment.OpenSealed(directory, old.BaseOffset, _partition.Config.IndexIntervalBytes, now, nextBaseOffset, out _);
    }

    private static void ThrowIfScanFailed(LogSegment segment, SegmentScanner scanner)
    {
        if (scanner.Problem is not null)
        {
            throw new LogException(LogErrorCode.KafkaStorageError, $"Compaction stopped: segment '{segment.LogPath}' is unreadable at byte {scanner.Position}: {scanner.Problem}. Nothing was changed in it.");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for recovery, which deletes *.cleaned and rebuilds indexes that do not match.
        }
    }
}
