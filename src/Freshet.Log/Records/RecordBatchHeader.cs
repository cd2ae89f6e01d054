using System.Buffers.Binary;

namespace Freshet.Log.Records;

/// <summary>
/// The fixed 61-byte header of a Kafka RecordBatch v2 (magic 2), parsed from bytes. All integers
/// are big-endian. Layout (byte offset: field):
/// <code>
///  0 BaseOffset int64        12 PartitionLeaderEpoch int32   16 Magic int8   17 Crc uint32
///  8 BatchLength int32       (bytes after this field)         21 Attributes int16
/// 23 LastOffsetDelta int32   27 BaseTimestamp int64          35 MaxTimestamp int64
/// 43 ProducerId int64        51 ProducerEpoch int16          53 BaseSequence int32
/// 57 RecordCount int32       61 records...
/// </code>
/// The CRC-32C covers bytes 21 to the end of the batch. An immutable value; thread-safe.
/// </summary>
public readonly struct RecordBatchHeader
{
    /// <summary>Size of the header in bytes; records start here.</summary>
    public const int Size = 61;

    /// <summary>Bytes before the part that <see cref="BatchLength"/> counts (BaseOffset and BatchLength).</summary>
    public const int LogOverhead = 12;

    /// <summary>The only record format this log stores.</summary>
    public const byte CurrentMagic = 2;

    /// <summary>Byte offset of the PartitionLeaderEpoch field.</summary>
    public const int PartitionLeaderEpochOffset = 12;

    /// <summary>Byte offset of the magic byte.</summary>
    public const int MagicOffset = 16;

    /// <summary>Byte offset of the CRC field.</summary>
    public const int CrcOffset = 17;

    /// <summary>Byte offset of the attributes; the CRC covers everything from here on.</summary>
    public const int AttributesOffset = 21;

    /// <summary>Byte offset of LastOffsetDelta.</summary>
    public const int LastOffsetDeltaOffset = 23;

    /// <summary>Byte offset of BaseTimestamp.</summary>
    public const int BaseTimestampOffset = 27;

    /// <summary>Byte offset of MaxTimestamp.</summary>
    public const int MaxTimestampOffset = 35;

    /// <summary>Byte offset of ProducerId.</summary>
    public const int ProducerIdOffset = 43;

    /// <summary>Byte offset of ProducerEpoch.</summary>
    public const int ProducerEpochOffset = 51;

    /// <summary>Byte offset of BaseSequence.</summary>
    public const int BaseSequenceOffset = 53;

    /// <summary>Byte offset of RecordCount.</summary>
    public const int RecordCountOffset = 57;

    /// <summary>Attribute bits 0–2: the compression codec.</summary>
    public const short CompressionMask = 0x07;

    /// <summary>Attribute bit 3: timestamps are the log append time rather than the create time.</summary>
    public const short TimestampTypeFlag = 0x08;

    /// <summary>Attribute bit 4: the batch belongs to a transaction.</summary>
    public const short TransactionalFlag = 0x10;

    /// <summary>Attribute bit 5: the batch is a control batch (transaction marker).</summary>
    public const short ControlFlag = 0x20;

    /// <summary>Attribute bit 6: the batch carries a delete horizon in BaseTimestamp (compaction).</summary>
    public const short DeleteHorizonFlag = 0x40;

    /// <summary>ProducerId of a batch written without an idempotent producer.</summary>
    public const long NoProducerId = -1;

    /// <summary>ProducerEpoch of a batch written without an idempotent producer.</summary>
    public const short NoProducerEpoch = -1;

    /// <summary>BaseSequence of a batch written without an idempotent producer.</summary>
    public const int NoSequence = -1;

    private RecordBatchHeader(ReadOnlySpan<byte> b)
    {
        BaseOffset = BinaryPrimitives.ReadInt64BigEndian(b);
        BatchLength = BinaryPrimitives.ReadInt32BigEndian(b[8..]);
        PartitionLeaderEpoch = BinaryPrimitives.ReadInt32BigEndian(b[PartitionLeaderEpochOffset..]);
        Magic = b[MagicOffset];
        Crc = BinaryPrimitives.ReadUInt32BigEndian(b[CrcOffset..]);
        Attributes = BinaryPrimitives.ReadInt16BigEndian(b[AttributesOffset..]);
        LastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(b[LastOffsetDeltaOffset..]);
        BaseTimestamp = BinaryPrimitives.ReadInt64BigEndian(b[BaseTimestampOffset..]);
        MaxTimestamp = BinaryPrimitives.ReadInt64BigEndian(b[MaxTimestampOffset..]);
        ProducerId = BinaryPrimitives.ReadInt64BigEndian(b[ProducerIdOffset..]);
        ProducerEpoch = BinaryPrimitives.ReadInt16BigEndian(b[ProducerEpochOffset..]);
        BaseSequence = BinaryPrimitives.ReadInt32BigEndian(b[BaseSequenceOffset..]);
        RecordCount = BinaryPrimitives.ReadInt32BigEndian(b[RecordCountOffset..]);
    }

    /// <summary>Offset of the first record in the batch.</summary>
    public long BaseOffset { get; }

    /// <summary>Length of the batch after the BatchLength field, in bytes.</summary>
    public int BatchLength { get; }

    /// <summary>The leader epoch the batch was written under (always 0 on a single node).</summary>
    public int PartitionLeaderEpoch { get; }

    /// <summary>Record format version; 2 for every batch this log stores.</summary>
    public byte Magic { get; }

    /// <summary>CRC-32C of bytes 21 to the end of the batch, as stored.</summary>
    public uint Crc { get; }

    /// <summary>Attribute bits: compression, timestamp type, transactional, control, delete horizon.</summary>
    public short Attributes { get; }

    /// <summary>Offset of the last record minus <see cref="BaseOffset"/>.</summary>
    public int LastOffsetDelta { get; }

    /// <summary>Timestamp of the first record (milliseconds since the Unix epoch), or the delete horizon.</summary>
    public long BaseTimestamp { get; }

    /// <summary>Largest record timestamp in the batch, milliseconds since the Unix epoch.</summary>
    public long MaxTimestamp { get; }

    /// <summary>Idempotent producer id, or <see cref="NoProducerId"/>.</summary>
    public long ProducerId { get; }

    /// <summary>Idempotent producer epoch, or <see cref="NoProducerEpoch"/>.</summary>
    public short ProducerEpoch { get; }

    /// <summary>Sequence number of the first record, or <see cref="NoSequence"/>.</summary>
    public int BaseSequence { get; }

    /// <summary>Number of records in the batch.</summary>
    public int RecordCount { get; }

    /// <summary>Total size of the batch in bytes, header included.</summary>
    public int TotalSize => BatchLength + LogOverhead;

    /// <summary>Offset of the last record in the batch.</summary>
    public long LastOffset => BaseOffset + LastOffsetDelta;

    /// <summary>The batch's compression codec.</summary>
    public CompressionType Compression => (CompressionType)(Attributes & CompressionMask);

    /// <summary>Whether the batch timestamps are log append times.</summary>
    public bool IsLogAppendTime => (Attributes & TimestampTypeFlag) != 0;

    /// <summary>Whether the batch is part of a transaction.</summary>
    public bool IsTransactional => (Attributes & TransactionalFlag) != 0;

    /// <summary>Whether the batch is a control batch (a transaction marker).</summary>
    public bool IsControl => (Attributes & ControlFlag) != 0;

    /// <summary>Whether the batch was written by an idempotent producer.</summary>
    public bool HasProducerId => ProducerId >= 0;

    /// <summary>Sequence number of the last record, wrapping at <see cref="int.MaxValue"/> as Kafka does.</summary>
    public int LastSequence => BaseSequence == NoSequence ? NoSequence : (int)((BaseSequence + (long)LastOffsetDelta) % ((long)int.MaxValue + 1));

    /// <summary>
    /// Reads the header fields from the start of <paramref name="batch"/>. No validation beyond the length:
    /// use <see cref="RecordBatchValidator"/> before trusting the values.
    /// </summary>
    /// <returns>False if fewer than <see cref="Size"/> bytes are available.</returns>
    public static bool TryRead(ReadOnlySpan<byte> batch, out RecordBatchHeader header)
    {
        if (batch.Length < Size)
        {
            header = default;
            return false;
        }

        header = new RecordBatchHeader(batch);
        return true;
    }

    /// <summary>Reads the header fields; the span must hold at least <see cref="Size"/> bytes.</summary>
    public static RecordBatchHeader Read(ReadOnlySpan<byte> batch)
    {
        if (!TryRead(batch, out var header))
        {
            throw new ArgumentException($"A record batch header needs {Size} bytes; got {batch.Length}.", nameof(batch));
        }

        return header;
    }

    /// <summary>Overwrites the BaseOffset field in place (offsets are assigned by the log on append; the CRC does not cover it).</summary>
    public static void WriteBaseOffset(Span<byte> batch, long baseOffset) => BinaryPrimitives.WriteInt64BigEndian(batch, baseOffset);

    /// <summary>Computes the CRC-32C a batch should carry (bytes 21 to the end).</summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> batch) => Crc32C.Compute(batch[AttributesOffset..]);

    /// <summary>Recomputes and stores the CRC of a complete batch, after its covered bytes changed.</summary>
    public static void WriteCrc(Span<byte> batch) => BinaryPrimitives.WriteUInt32BigEndian(batch[CrcOffset..], ComputeCrc(batch));
}
