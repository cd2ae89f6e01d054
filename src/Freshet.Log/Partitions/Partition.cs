using Freshet.Log.Durability;
using Freshet.Log.Producers;
using Freshet.Log.Records;
using Freshet.Log.Segments;
using Freshet.Log.Topics;
using Freshet.Log.Transactions;

namespace Freshet.Log.Partitions;

/// <summary>
/// One partition of a topic: an ordered, append-only sequence of record batches split into
/// segments (see <c>docs/log-format.md</c>). Offsets are assigned here, once, and never change.
/// <para>
/// Positions: <see cref="LogStartOffset"/> is the first offset still readable (the base offset of the
/// oldest segment, or later after <see cref="DeleteRecordsBefore"/>); <see cref="LogEndOffset"/> is the offset the next appended record will get;
/// <see cref="HighWatermark"/> is the offset below which every record is readable by consumers
/// (equal to <see cref="LogEndOffset"/> on a single node, since an append is committed once written).
/// Invariant: <c>LogStartOffset &lt;= HighWatermark &lt;= LogEndOffset</c>.
/// </para>
/// Thread-safety: appends, rolls, flushes and segment replacement are serialized by one append
/// lock; reads take no lock and read a published, immutable array of segments, so any number of
/// readers run concurrently with the appender and never see a partial batch.
/// </summary>
public sealed partial class Partition : IDisposable
{
    private readonly object _appendLock = new();
    private readonly object _maintenanceLock = new();
    private readonly TimeProvider _clock;
    private readonly ProducerStateTable _producers;
    private readonly long _fileDeleteDelayMs;
    private readonly AbortedTransactionIndex _abortedTransactions;

    // Transactional producers allowed to append here: producer id -> epoch, registered by the
    // transaction coordinator when the partition is added to a transaction, removed by its marker.
    private readonly Dictionary<long, short> _transactionalProducers = [];

    // Smallest first offset of an open transaction, long.MaxValue when none; bounds LastStableOffset.
    private long _earliestOpenTransactionOffset;
    private LogSegment[] _segments;

    // The log start set by DeleteRecordsBefore (-1 when never set); LogStartOffset is the larger of it and the
    // oldest segment's base offset, so retention moving past it needs no update here.
    private long _logStartOffset;
    private long _logEndOffset;
    private long _durableEndOffset;
    private TopicConfig _config;
    private bool _disposed;

    private Partition(string topic, int id, string directory, TopicConfig config, TimeProvider clock, long fileDeleteDelayMs, LogSegment[] segments, ProducerStateTable producers, AbortedTransactionIndex abortedTransactions, long logStartOffset)
    {
        _logStartOffset = logStartOffset;
        Topic = topic;
        Id = id;
        Directory = directory;
        _config = config;
        _clock = clock;
        _fileDeleteDelayMs = fileDeleteDelayMs;
        _segments = segments;
        _producers = producers;
        _abortedTransactions = abortedTransactions;
        _earliestOpenTransactionOffset = producers.EarliestOpenTransactionOffset();
        _logEndOffset = segments[^1].NextOffset;
        _durableEndOffset = _logEndOffset;
    }

    /// <summary>The topic this partition belongs to.</summary>
    public string Topic { get; }

    /// <summary>The partition number, from 0.</summary>
    public int Id { get; }

    /// <summary>The directory holding this partition's segment files.</summary>
    public string Directory { get; }

    /// <summary>The topic configuration in force (changes apply to later appends and maintenance).</summary>
    public TopicConfig Config
    {
        get => Volatile.Read(ref _config);
        internal set => Volatile.Write(ref _config, value);
    }

    /// <summary>The first offset still readable; reads below it fail with <see cref="LogErrorCode.OffsetOutOfRange"/>.</summary>
    public long LogStartOffset => LogStartOf(Volatile.Read(ref _segments));

    /// <summary>The offset the next appended record will get.</summary>
    public long LogEndOffset => Volatile.Read(ref _logEndOffset);

    /// <summary>The offset below which records are visible to readers; equals <see cref="LogEndOffset"/> on a single node.</summary>
    public long HighWatermark => LogEndOffset;

    /// <summary>
    /// The offset below which every transaction is decided (committed or aborted): the first offset
    /// of the earliest open transaction, or <see cref="HighWatermark"/> when none is open. read_committed
    /// readers see records below it only. Invariant: <c>LogStartOffset &lt;= LastStableOffset &lt;= HighWatermark</c>
    /// (a transaction whose start was removed by retention counts from <see cref="LogStartOffset"/>); it never decreases.
    /// </summary>
    public long LastStableOffset
    {
        get
        {
            var earliest = Volatile.Read(ref _earliestOpenTransactionOffset);
            var highWatermark = HighWatermark;
            return earliest < highWatermark ? Math.Max(earliest, LogStartOffset) : highWatermark;
        }
    }

    /// <summary>Every offset below this has been fsynced.</summary>
    public long DurableEndOffset => Volatile.Read(ref _durableEndOffset);

    /// <summary>Total bytes of all segment files.</summary>
    public long SizeBytes
    {
        get
        {
            long total = 0;
            foreach (var segment in Volatile.Read(ref _segments))
            {
                total += segment.Size;
            }

            return total;
        }
    }

    /// <summary>Number of segments, the active one included.</summary>
    public int SegmentCount => Volatile.Read(ref _segments).Length;

    internal LogSegment[] Segments => Volatile.Read(ref _segments);

    internal ProducerStateTable Producers => _producers;

    /// <summary>
    /// Validates and appends one or more RecordBatch v2 batches laid end to end, assigning offsets
    /// from <see cref="LogEndOffset"/>. The caller's bytes are not modified. Either every batch is
    /// stored or none is.
    /// <para>
    /// Batches are stored as sent unless the topic says otherwise, as in Kafka: a <c>compression.type</c>
    /// other than <c>producer</c> re-encodes each batch in another codec; <c>message.timestamp.type=LogAppendTime</c>
    /// marks each batch with the append time (<see cref="AppendResult.IsLogAppendTime"/>); with CreateTime,
    /// finite <c>message.timestamp.before.max.ms</c> / <c>after.max.ms</c> bounds refuse records whose
    /// timestamps are too far from the append time (<see cref="LogErrorCode.InvalidTimestamp"/>).
    /// </para>
    /// </summary>
    /// <exception cref="LogException">The batch is invalid (CRC, magic, lengths, offset deltas, size), breaks an
    /// idempotent producer's sequence or epoch, or the disk failed. Nothing is stored in that case.</exception>
    public AppendResult Append(ReadOnlyMemory<byte> batches)
    {
        var config = Config;
        var code = RecordBatchValidator.Validate(batches.Span, config.MaxBatchBytes, out var error);
        if (code != LogErrorCode.None)
        {
            throw new LogException(code, $"Append to {Topic}-{Id} rejected: {error}");
        }

        var stamp = config.MessageTimestampType == MessageTimestampType.LogAppendTime;
        var owned = PrepareForStorage(batches, config, stamp);
        if (owned is not null)
        {
            batches = owned;
        }

        var appends = ParseBatches(batches.Span, config);
        lock (_appendLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            if (stamp)
            {
                // Stamped under the lock, so append times never go backwards along the log.
                for (var i = 0; i < appends.Length; i++)
                {
                    RecordBatchRewriter.StampLogAppendTime(owned!.AsSpan(appends[i].BufferPosition, appends[i].Size), now);
                    appends[i] = appends[i] with { MaxTimestamp = now };
                }
            }

            // Idempotent producers: recognise re-sent batches and reject gaps and stale epochs
            // before any byte is written, so a refused append leaves the log unchanged.
            if (appends.Length == 1 && appends[0].HasProducerId)
            {
                var header = RecordBatchHeader.Read(batches.Span);
                var check = _producers.Check(header);
                if (check.Outcome == ProducerCheckOutcome.Duplicate)
                {
                    return new AppendResult(check.DuplicateBaseOffset, check.DuplicateLastOffset, now, LogStartOffset, IsDurable: check.DuplicateLastOffset < DurableEndOffset, IsDuplicate: true);
                }

                if (check.Outcome == ProducerCheckOutcome.Rejected)
                {
                    throw new LogException(check.ErrorCode, $"Append to {Topic}-{Id} rejected: {check.Message}");
                }

                if (header.IsTransactional)
                {
                    CheckTransactionalAppendLocked(header);
                }
            }

            var nextOffset = _logEndOffset;
            long totalBytes = 0;
            var segmentAppends = new SegmentAppend[appends.Length];
            for (var i = 0; i < appends.Length; i++)
            {
                var a = appends[i];
                segmentAppends[i] = new SegmentAppend(a.BufferPosition, a.Size, nextOffset, nextOffset + a.LastOffsetDelta, a.MaxTimestamp);
                nextOffset += a.LastOffsetDelta + 1L;
                totalBytes += a.Size;
            }

            var active = _segments[^1];
            if (ShouldRoll(active, config, totalBytes, nextOffset - 1, now))
            {
                active = RollLocked(now);
            }

            active.Append(batches, segmentAppends, now);
            if (appends.Length == 1 && appends[0].HasProducerId)
            {
                var header = RecordBatchHeader.Read(batches.Span);
                _producers.Update(header, segmentAppends[0].BaseOffset, segmentAppends[0].LastOffset, now);
                if (header.IsTransactional)
                {
                    // A transaction opened here starts above every open one, so the earliest moves only
                    // when none was open: O(1), whatever the number of producers.
                    Volatile.Write(ref _earliestOpenTransactionOffset, Math.Min(_earliestOpenTransactionOffset, segmentAppends[0].BaseOffset));
                }
            }

            Volatile.Write(ref _logEndOffset, nextOffset);
            var durable = FlushIfRequiredLocked(active, config, now);
            return new AppendResult(segmentAppends[0].BaseOffset, nextOffset - 1, now, LogStartOffset, durable, IsDuplicate: false) { IsLogAppendTime = stamp };
        }
    }

    /// <summary>
    /// Applies the topic's <c>compression.type</c> and checks CreateTime bounds before the append lock is
    /// taken (decoding and re-encoding are the costly part). Returns a buffer this append owns when the
    /// bytes to store differ from the caller's or will be stamped with the append time, else null.
    /// </summary>
    private byte[]? PrepareForStorage(ReadOnlyMemory<byte> batches, TopicConfig config, bool stampAppendTime)
    {
        try
        {
            if (!stampAppendTime && (config.EffectiveTimestampBeforeMaxMs != long.MaxValue || config.EffectiveTimestampAfterMaxMs != long.MaxValue))
            {
                RecordBatchRewriter.CheckTimestamps(batches.Span, _clock.GetUtcNow().ToUnixTimeMilliseconds(), config.EffectiveTimestampBeforeMaxMs, config.EffectiveTimestampAfterMaxMs);
            }

            var owned = StoredCodec(config.Compression) is { } codec ? RecordBatchRewriter.Recompress(batches.Span, codec, StoredLevel(config), config.MaxBatchBytes) : null;
            return owned ?? (stampAppendTime ? batches.ToArray() : null);
        }
        catch (LogException e)
        {
            throw new LogException(e.ErrorCode, $"Append to {Topic}-{Id} rejected: {e.Message}", e);
        }
    }

    /// <summary>The codec a topic stores batches in, or null to keep the producer's.</summary>
    private static CompressionType? StoredCodec(TopicCompression compression) => compression switch
    {
        TopicCompression.Uncompressed => CompressionType.None,
        TopicCompression.Gzip => CompressionType.Gzip,
        TopicCompression.Snappy => CompressionType.Snappy,
        TopicCompression.Lz4 => CompressionType.Lz4,
        TopicCompression.Zstd => CompressionType.Zstd,
        _ => null,
    };

    /// <summary>The topic's <c>compression.*.level</c> for its codec (Kafka's scale), or null for snappy and uncompressed.</summary>
    private static int? StoredLevel(TopicConfig config) => config.Compression switch
    {
        TopicCompression.Gzip => config.CompressionGzipLevel,
        TopicCompression.Lz4 => config.CompressionLz4Level,
        TopicCompression.Zstd => config.CompressionZstdLevel,
        _ => null,
    };

    private static ParsedBatch[] ParseBatches(ReadOnlySpan<byte> batches, TopicConfig config)
    {
        var count = 0;
        for (var position = 0; position < batches.Length; count++)
        {
            position += RecordBatchHeader.Read(batches[position..]).TotalSize;
        }

        var parsed = new ParsedBatch[count];
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            var header = RecordBatchHeader.Read(batches[at..]);
            if (header.HasProducerId && count > 1)
            {
                throw new LogException(LogErrorCode.InvalidRecord, "An append from an idempotent producer must hold exactly one batch.");
            }

            if (header.IsTransactional && !header.HasProducerId)
            {
                throw new LogException(LogErrorCode.InvalidRecord, "A transactional batch needs a producer id.");
            }

            if (header.IsControl)
            {
                throw new LogException(LogErrorCode.InvalidRecord, "Control batches are written by the log's transaction coordinator, not appended by clients.");
            }

            if ((config.CleanupPolicy & CleanupPolicy.Compact) != 0)
            {
                RequireKeys(batches.Slice(at, header.TotalSize), header);
            }

            parsed[i] = new ParsedBatch(at, header.TotalSize, header.LastOffsetDelta, header.MaxTimestamp, header.HasProducerId);
            at += header.TotalSize;
        }

        return parsed;
    }

    private static void RequireKeys(ReadOnlySpan<byte> batch, in RecordBatchHeader header)
    {
        foreach (var record in RecordBatchReader.ReadRecords(batch.ToArray()))
        {
            if (record.Key is null)
            {
                throw new LogException(LogErrorCode.InvalidRecord, $"Compacted topics need a key on every record; the record at offset delta {record.Offset - header.BaseOffset} has none.");
            }
        }
    }

    private static bool ShouldRoll(LogSegment active, TopicConfig config, long appendBytes, long lastOffset, long now) =>
        !active.IsEmpty
        && (active.Size + appendBytes > config.SegmentBytes
            || now - active.CreatedAtMs >= config.SegmentMs
            || lastOffset - active.BaseOffset > int.MaxValue);

    /// <summary>
    /// fsyncs when the topic's flush policy, or Kafka's <c>flush.messages</c> / <c>flush.ms</c> on top of it,
    /// says so. Unflushed records are counted as <c>LogEndOffset - DurableEndOffset</c>.
    /// </summary>
    private bool FlushIfRequiredLocked(LogSegment active, TopicConfig config, long now)
    {
        var policy = config.FlushPolicy;
        var oldest = active.OldestUnflushedAtMs;
        var due = policy.Mode switch
        {
            FlushMode.EveryAppend => true,
            FlushMode.Bytes => active.UnflushedBytes >= policy.MaxUnflushedBytes,
            FlushMode.Interval => oldest >= 0 && now - oldest >= policy.IntervalMs,
            _ => false,
        }
            || _logEndOffset - _durableEndOffset >= config.FlushMessages
            || (config.FlushMs != long.MaxValue && oldest >= 0 && now - oldest >= config.FlushMs);
        if (due)
        {
            active.Flush();
            Volatile.Write(ref _durableEndOffset, _logEndOffset);
        }

        return due;
    }

    /// <summary>Called by the store's background flusher: fsyncs if an interval policy or <c>flush.ms</c> says the oldest unflushed append is due.</summary>
    internal void FlushIfDue()
    {
        var config = Config;
        if (config.FlushPolicy.Mode != FlushMode.Interval && config.FlushMs == long.MaxValue)
        {
            return;
        }

        lock (_appendLock)
        {
            if (!_disposed)
            {
                FlushIfRequiredLocked(_segments[^1], config, _clock.GetUtcNow().ToUnixTimeMilliseconds());
            }
        }
    }

    /// <summary>fsyncs every appended byte now.</summary>
    public void Flush()
    {
        lock (_appendLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _segments[^1].Flush();
            Volatile.Write(ref _durableEndOffset, _logEndOffset);
        }
    }

    /// <summary>Seals the active segment and starts a new one at <see cref="LogEndOffset"/> (no-op if the active segment is empty).</summary>
    public void Roll()
    {
        lock (_appendLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_segments[^1].IsEmpty)
            {
                RollLocked(_clock.GetUtcNow().ToUnixTimeMilliseconds());
            }
        }
    }

    private LogSegment RollLocked(long now)
    {
        var old = _segments[^1];
        old.Seal();
        Volatile.Write(ref _durableEndOffset, _logEndOffset);
        _producers.WriteSnapshot(_logEndOffset);
        var next = LogSegment.Create(Directory, _logEndOffset, Config.IndexIntervalBytes, now);
        var segments = new LogSegment[_segments.Length + 1];
        Array.Copy(_segments, segments, _segments.Length);
        segments[^1] = next;
        Volatile.Write(ref _segments, segments);
        return next;
    }

    /// <summary>
    /// Returns stored batches from the one holding <paramref name="offset"/>, up to
    /// <paramref name="maxBytes"/> but always at least one whole batch when one exists.
    /// </summary>
    /// <exception cref="LogException"><see cref="LogErrorCode.OffsetOutOfRange"/> when the offset is below
    /// <see cref="LogStartOffset"/> or above <see cref="LogEndOffset"/>; <see cref="LogErrorCode.KafkaStorageError"/>
    /// when stored data is found corrupt (naming the file and position).</exception>
    public LogReadResult Read(long offset, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        for (var attempt = 0; ; attempt++)
        {
            var segments = SegmentsForRead(offset, out var logStart, out var logEnd);
            try
            {
                for (var i = FindSegment(segments, offset); i < segments.Length && offset < logEnd; i++)
                {
                    var data = segments[i].Read(offset, maxBytes);
                    if (!data.IsEmpty)
                    {
                        return new LogReadResult(data, logStart, logEnd, logEnd);
                    }
                }

                return new LogReadResult(ReadOnlyMemory<byte>.Empty, logStart, logEnd, logEnd);
            }
            catch (ObjectDisposedException) when (attempt < 3)
            {
                // Retention or compaction replaced the segment while we read it; read the new list.
            }
        }
    }

    /// <summary>
    /// Copies stored batches from the one holding <paramref name="offset"/> into
    /// <paramref name="destination"/>, whole batches only, without allocating: the form for callers
    /// that reuse a buffer (network servers, sequential scans).
    /// </summary>
    /// <param name="firstBatchBytes">Size of the first batch to return, or 0 at the log end. If it is larger
    /// than <paramref name="destination"/>, nothing is copied: grow the buffer to at least this and retry.</param>
    /// <returns>Bytes copied (whole batches).</returns>
    /// <exception cref="LogException">As for <see cref="Read"/>.</exception>
    public int ReadInto(long offset, Span<byte> destination, out int firstBatchBytes)
    {
        for (var attempt = 0; ; attempt++)
        {
            var segments = SegmentsForRead(offset, out _, out var logEnd);
            try
            {
                for (var i = FindSegment(segments, offset); i < segments.Length && offset < logEnd; i++)
                {
                    var written = segments[i].ReadInto(offset, destination, out firstBatchBytes);
                    if (firstBatchBytes > 0)
                    {
                        return written;
                    }
                }

                firstBatchBytes = 0;
                return 0;
            }
            catch (ObjectDisposedException) when (attempt < 3)
            {
                // Retention or compaction replaced the segment while we read it; read the new list.
            }
        }
    }

    /// <summary>The published segments, after checking <paramref name="offset"/> is within <c>[LogStartOffset, LogEndOffset]</c>.</summary>
    private LogSegment[] SegmentsForRead(long offset, out long logStart, out long logEnd)
    {
        var segments = Volatile.Read(ref _segments);
        logEnd = LogEndOffset;
        logStart = LogStartOf(segments);
        if (offset < logStart || offset > logEnd)
        {
            throw new LogException(LogErrorCode.OffsetOutOfRange, $"Offset {offset} is out of range for {Topic}-{Id}: stored offsets are {logStart} to {logEnd - 1} (log end {logEnd}).");
        }

        return segments;
    }

    /// <summary>The log start given the published <paramref name="segments"/> (read once by the caller, so both agree).</summary>
    private long LogStartOf(LogSegment[] segments) => Math.Max(segments[0].BaseOffset, Volatile.Read(ref _logStartOffset));

    /// <summary>Index of the last segment whose base offset is at most <paramref name="offset"/>.</summary>
    private static int FindSegment(LogSegment[] segments, long offset)
    {
        int lo = 0, hi = segments.Length - 1, found = 0;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (segments[mid].BaseOffset <= offset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    /// <summary>
    /// Finds the first offset whose record timestamp is at least <paramref name="timestampMs"/>
    /// (Kafka's ListOffsets by timestamp).
    /// </summary>
    /// <returns>False if every stored record is older.</returns>
    public bool TryFindOffsetByTimestamp(long timestampMs, out long offset)
    {
        var segments = Volatile.Read(ref _segments);
        foreach (var segment in segments)
        {
            if (segment.MaxTimestamp < timestampMs)
            {
                continue;
            }

            long found = -1;
            segment.ScanHeaders(segment.TimeIndexStartOffset(timestampMs), (header, _) =>
            {
                if (header.MaxTimestamp < timestampMs)
                {
                    return true;
                }

                found = FirstOffsetAtOrAfter(segment, header, timestampMs);
                return found < 0;
            });
            if (found >= 0)
            {
                // Records before the log start are deleted even where their batch is still stored.
                offset = Math.Max(found, LogStartOffset);
                return true;
            }
        }

        offset = -1;
        return false;
    }

    private static long FirstOffsetAtOrAfter(LogSegment segment, in RecordBatchHeader header, long timestampMs)
    {
        var batch = segment.Read(header.BaseOffset, header.TotalSize);
        foreach (var record in RecordBatchReader.ReadRecords(batch[..header.TotalSize]))
        {
            if (record.Timestamp >= timestampMs)
            {
                return record.Offset;
            }
        }

        return -1;
    }

    private readonly record struct ParsedBatch(int BufferPosition, int Size, int LastOffsetDelta, long MaxTimestamp, bool HasProducerId);
}
