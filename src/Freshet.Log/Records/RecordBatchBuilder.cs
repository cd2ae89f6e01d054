using System.Buffers;
using System.Buffers.Binary;

namespace Freshet.Log.Records;

/// <summary>
/// Builds one complete Kafka RecordBatch v2 (header, records, CRC-32C), as a producer or the log
/// compactor writes it. Two modes, fixed by the first record added until <see cref="Reset"/>:
/// <list type="bullet">
/// <item><b>Sequential</b> (<see cref="Add(LogRecord)"/> and its overloads): offset deltas run 0, 1, 2, ...,
/// as a producer writes them and as <see cref="RecordBatchValidator"/> requires.</item>
/// <item><b>Absolute</b> (<see cref="AddWithOffset"/>): each record keeps its own absolute offset, with gaps
/// allowed, as the compactor needs when it drops records without renumbering the rest.</item>
/// </list>
/// The first record's timestamp is the batch's <c>BaseTimestamp</c> (as in Kafka's producer);
/// timestamp deltas may be negative. Batch options (compression, producer id, flags) are read at
/// <see cref="Build()"/>, so they may be set before or after records are added.
/// Not thread-safe: one builder per thread. Sequential records are encoded into a reusable buffer at
/// <c>Add</c> (no per-record allocation for uncompressed batches); absolute-mode records are kept by
/// reference and encoded at <c>Build</c>, so their arrays must not change in between.
/// </summary>
public sealed class RecordBatchBuilder
{
    // Encoded records section (uncompressed). In absolute mode it is rebuilt by each Build.
    private readonly ArrayBufferWriter<byte> _records = new(1024);

    // Absolute mode only: the records in offset order, encoded at Build once the base offset is known.
    private readonly List<LogRecord> _absolute = [];

    private bool _absoluteMode;
    private int _count;
    private long _baseTimestamp;
    private long _maxTimestamp;
    private int _absoluteEstimateBytes;

    /// <summary>Creates a builder for an uncompressed batch.</summary>
    public RecordBatchBuilder()
    {
    }

    /// <summary>Creates a builder whose records section is compressed with <paramref name="compression"/>.</summary>
    public RecordBatchBuilder(CompressionType compression)
    {
        Compression = compression;
    }

    /// <summary>The codec for the records section; <see cref="CompressionType.None"/> by default.</summary>
    public CompressionType Compression { get; set; } = CompressionType.None;

    /// <summary>Idempotent producer id; <see cref="RecordBatchHeader.NoProducerId"/> (-1) by default.</summary>
    public long ProducerId { get; set; } = RecordBatchHeader.NoProducerId;

    /// <summary>Idempotent producer epoch; <see cref="RecordBatchHeader.NoProducerEpoch"/> (-1) by default.</summary>
    public short ProducerEpoch { get; set; } = RecordBatchHeader.NoProducerEpoch;

    /// <summary>Sequence number of the first record; <see cref="RecordBatchHeader.NoSequence"/> (-1) by default.</summary>
    public int BaseSequence { get; set; } = RecordBatchHeader.NoSequence;

    /// <summary>Whether the batch belongs to a transaction (attribute bit 4).</summary>
    public bool IsTransactional { get; set; }

    /// <summary>
    /// Whether the batch is a control batch (attribute bit 5). Only the attribute is set: the caller
    /// supplies control-record keys and values.
    /// </summary>
    public bool IsControl { get; set; }

    /// <summary>
    /// When set, the batch's timestamp type is LogAppendTime (attribute bit 3) and its <c>MaxTimestamp</c>
    /// is this value, which readers report as every record's timestamp. Null (the default) means CreateTime.
    /// </summary>
    public long? LogAppendTimeMs { get; set; }

    /// <summary>The partition leader epoch; -1 by default, as the Java producer sends (the broker overwrites it).</summary>
    public int PartitionLeaderEpoch { get; set; } = -1;

    /// <summary>Number of records added since construction or the last <see cref="Reset"/>.</summary>
    public int Count => _count;

    /// <summary>
    /// Size the batch would have uncompressed, header included, in bytes. An upper estimate for a
    /// compressed batch (compression runs only at <see cref="Build()"/>).
    /// </summary>
    public int EstimatedSizeBytes => RecordBatchHeader.Size + (_absoluteMode ? _absoluteEstimateBytes : _records.WrittenCount);

    /// <summary>
    /// Builds a batch of <paramref name="records"/> in sequential mode: offsets run from
    /// <paramref name="baseOffset"/>, and each record's own <see cref="LogRecord.Offset"/> is ignored.
    /// </summary>
    /// <exception cref="InvalidOperationException">When <paramref name="records"/> is empty.</exception>
    public static byte[] Build(IEnumerable<LogRecord> records, CompressionType compression = CompressionType.None, long baseOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(records);
        var builder = new RecordBatchBuilder { Compression = compression };
        foreach (var record in records)
        {
            builder.Add(record);
        }

        return builder.Build(baseOffset);
    }

    /// <summary>Adds a record with a non-null key and value (either may be empty). Sequential mode.</summary>
    /// <param name="timestamp">Create time, milliseconds since the Unix epoch.</param>
    /// <param name="key">The key bytes, copied now.</param>
    /// <param name="value">The value bytes, copied now.</param>
    /// <param name="headers">Headers, encoded now; null for none.</param>
    public void Add(long timestamp, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, IReadOnlyList<RecordHeader>? headers = null) =>
        AddSequential(timestamp, key, keyIsNull: false, value, valueIsNull: false, headers);

    /// <summary>Adds a record whose key or value may be null (a null value is a tombstone). Sequential mode.</summary>
    /// <param name="timestamp">Create time, milliseconds since the Unix epoch.</param>
    /// <param name="key">The key, or null; copied now.</param>
    /// <param name="value">The value, or null; copied now.</param>
    /// <param name="headers">Headers, encoded now; null for none.</param>
    /// <remarks>
    /// A call mixing a <c>null</c> literal with a collection expression (<c>Add(t, null, [1])</c>) is
    /// ambiguous with the span overload; pass an array or a <c>byte[]?</c> variable instead.
    /// </remarks>
    public void Add(long timestamp, byte[]? key, byte[]? value, IReadOnlyList<RecordHeader>? headers = null) =>
        AddSequential(timestamp, key, key is null, value, value is null, headers);

    /// <summary>Adds <paramref name="record"/> in sequential mode; its <see cref="LogRecord.Offset"/> is ignored.</summary>
    public void Add(LogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        AddSequential(record.Timestamp, record.Key, record.Key is null, record.Value, record.Value is null, record.Headers);
    }

    /// <summary>
    /// Adds <paramref name="record"/> at its own absolute <see cref="LogRecord.Offset"/> (absolute mode).
    /// Offsets must be non-negative and strictly increasing; gaps are allowed. The record is kept by
    /// reference until <see cref="Build()"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">When sequential records were already added.</exception>
    /// <exception cref="ArgumentException">When the offset is negative, not above the previous one, or too far from the first.</exception>
    public void AddWithOffset(LogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_count > 0 && !_absoluteMode)
        {
            throw new InvalidOperationException("This builder holds sequential records (Add); AddWithOffset needs a fresh builder or Reset.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(record.Offset, nameof(record));
        if (_absolute.Count > 0)
        {
            var previous = _absolute[^1].Offset;
            if (record.Offset <= previous)
            {
                throw new ArgumentException($"Offset {record.Offset} does not follow the previous record's offset {previous}; offsets must increase.", nameof(record));
            }

            if (record.Offset - _absolute[0].Offset > int.MaxValue)
            {
                throw new ArgumentException($"Offset {record.Offset} is more than {int.MaxValue} past the batch's first offset {_absolute[0].Offset}.", nameof(record));
            }
        }

        // Size checked now, so a bad header fails at the call that added it rather than at Build.
        var delta = _absolute.Count == 0 ? 0 : (int)(record.Offset - _absolute[0].Offset);
        var timestampDelta = _absolute.Count == 0 ? 0 : unchecked(record.Timestamp - _baseTimestamp);
        var body = RecordCodec.BodySize(timestampDelta, delta, record.Key?.Length ?? -1, record.Value?.Length ?? -1, record.Headers);
        var total = RecordCodec.TotalSize(body);
        if (total > int.MaxValue - RecordBatchHeader.Size - _absoluteEstimateBytes)
        {
            throw new InvalidOperationException("The batch would exceed 2 GiB.");
        }

        _absoluteMode = true;
        NoteTimestamp(record.Timestamp);
        _absolute.Add(record);
        _absoluteEstimateBytes += total;
        _count++;
    }

    /// <summary>
    /// Builds the batch with base offset 0 in sequential mode, or with the first record's offset as the
    /// base offset in absolute mode.
    /// </summary>
    /// <exception cref="InvalidOperationException">When no record was added.</exception>
    public byte[] Build() => Build(_absoluteMode ? _absolute[0].Offset : 0);

    /// <summary>
    /// Builds the batch with the given <c>BaseOffset</c>. In absolute mode, <paramref name="baseOffset"/>
    /// may be below the first record's offset (the compactor keeps the original batch's base offset when
    /// it drops the first records) but not above it. The builder keeps its records: call
    /// <see cref="Reset"/> to start the next batch.
    /// </summary>
    /// <returns>A new array holding exactly one complete batch.</returns>
    /// <exception cref="InvalidOperationException">When no record was added.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="baseOffset"/> is negative, or in absolute mode does not fit the records' offsets.</exception>
    public byte[] Build(long baseOffset)
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("A record batch needs at least one record.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(baseOffset);
        int lastOffsetDelta;
        if (_absoluteMode)
        {
            var first = _absolute[0].Offset;
            var last = _absolute[^1].Offset;
            if (baseOffset > first || last - baseOffset > int.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(baseOffset), baseOffset, $"The base offset must lie in [{last - int.MaxValue}, {first}] for records at offsets {first}..{last}.");
            }

            EncodeAbsolute(baseOffset);
            lastOffsetDelta = (int)(last - baseOffset);
        }
        else
        {
            lastOffsetDelta = _count - 1;
        }

        var records = _records.WrittenSpan;
        var compressed = Compression == CompressionType.None ? null : CompressionCodecs.Compress(Compression, records);
        var payload = compressed is null ? records : compressed;

        var batch = new byte[RecordBatchHeader.Size + payload.Length];
        var span = batch.AsSpan();
        BinaryPrimitives.WriteInt64BigEndian(span, baseOffset);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], batch.Length - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.PartitionLeaderEpochOffset..], PartitionLeaderEpoch);
        span[RecordBatchHeader.MagicOffset] = RecordBatchHeader.CurrentMagic;
        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatchHeader.AttributesOffset..], Attributes());
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.LastOffsetDeltaOffset..], lastOffsetDelta);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatchHeader.BaseTimestampOffset..], _baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatchHeader.MaxTimestampOffset..], LogAppendTimeMs ?? _maxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatchHeader.ProducerIdOffset..], ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatchHeader.ProducerEpochOffset..], ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.BaseSequenceOffset..], BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.RecordCountOffset..], _count);
        payload.CopyTo(span[RecordBatchHeader.Size..]);
        RecordBatchHeader.WriteCrc(span);
        return batch;
    }

    /// <summary>Forgets every record so the builder can build another batch. Options are kept.</summary>
    public void Reset()
    {
        _records.ResetWrittenCount();
        _absolute.Clear();
        _absoluteMode = false;
        _count = 0;
        _absoluteEstimateBytes = 0;
        _baseTimestamp = 0;
        _maxTimestamp = 0;
    }

    private short Attributes()
    {
        var attributes = (short)((int)Compression & RecordBatchHeader.CompressionMask);
        if (LogAppendTimeMs is not null)
        {
            attributes |= RecordBatchHeader.TimestampTypeFlag;
        }

        if (IsTransactional)
        {
            attributes |= RecordBatchHeader.TransactionalFlag;
        }

        if (IsControl)
        {
            attributes |= RecordBatchHeader.ControlFlag;
        }

        return attributes;
    }

    private void AddSequential(long timestamp, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, IReadOnlyList<RecordHeader>? headers)
    {
        if (_absoluteMode)
        {
            throw new InvalidOperationException("This builder holds records with absolute offsets (AddWithOffset); Add needs a fresh builder or Reset.");
        }

        if (_count == int.MaxValue)
        {
            throw new InvalidOperationException("A record batch holds at most int.MaxValue records.");
        }

        var timestampDelta = _count == 0 ? 0 : unchecked(timestamp - _baseTimestamp);
        var body = RecordCodec.BodySize(timestampDelta, _count, keyIsNull ? -1 : key.Length, valueIsNull ? -1 : value.Length, headers);
        var total = RecordCodec.TotalSize(body);
        if (total > int.MaxValue - RecordBatchHeader.Size - _records.WrittenCount)
        {
            throw new InvalidOperationException("The batch would exceed 2 GiB.");
        }

        var written = RecordCodec.Write(_records.GetSpan(total), body, timestampDelta, _count, key, keyIsNull, value, valueIsNull, headers);
        _records.Advance(written);
        NoteTimestamp(timestamp);
        _count++;
    }

    private void NoteTimestamp(long timestamp)
    {
        if (_count == 0)
        {
            _baseTimestamp = timestamp;
            _maxTimestamp = timestamp;
        }
        else if (timestamp > _maxTimestamp)
        {
            _maxTimestamp = timestamp;
        }
    }

    private void EncodeAbsolute(long baseOffset)
    {
        _records.ResetWrittenCount();
        foreach (var record in _absolute)
        {
            var timestampDelta = unchecked(record.Timestamp - _baseTimestamp);
            var offsetDelta = (int)(record.Offset - baseOffset);
            var body = RecordCodec.BodySize(timestampDelta, offsetDelta, record.Key?.Length ?? -1, record.Value?.Length ?? -1, record.Headers);
            var total = RecordCodec.TotalSize(body);
            var written = RecordCodec.Write(_records.GetSpan(total), body, timestampDelta, offsetDelta, record.Key, record.Key is null, record.Value, record.Value is null, record.Headers);
            _records.Advance(written);
        }
    }
}
