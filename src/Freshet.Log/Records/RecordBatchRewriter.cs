using System.Buffers.Binary;

namespace Freshet.Log.Records;

/// <summary>
/// Changes the log makes to producers' batches before storing them, as Kafka's broker does for a topic's
/// <c>compression.type</c> and <c>message.timestamp.type</c>: re-encoding a batch with another codec, and
/// stamping the append time on a LogAppendTime topic. Every header field other than the length, the codec
/// or timestamp-type bits, the max timestamp and the CRC is kept (producer id, epoch, base sequence, the
/// transactional flag, the partition leader epoch, timestamps), so idempotence and transactions work on
/// the rewritten batch as on the original. Input batches must already have passed
/// <see cref="RecordBatchValidator"/>. Pure; thread-safe.
/// </summary>
internal static class RecordBatchRewriter
{
    /// <summary>
    /// Re-encodes every batch of <paramref name="batches"/> whose codec is not <paramref name="codec"/>;
    /// records, their order, keys, values, headers and timestamps are kept. Control batches are never
    /// re-encoded.
    /// </summary>
    /// <returns>The new bytes, or null when every batch already uses <paramref name="codec"/> (nothing to do).</returns>
    /// <exception cref="LogException">With <see cref="LogErrorCode.MessageTooLarge"/> when a re-encoded batch exceeds <paramref name="maxBatchBytes"/>.</exception>
    /// <param name="batches">Validated batches laid end to end.</param>
    /// <param name="codec">The codec to store them in.</param>
    /// <param name="level">The codec's level in Kafka's scale (see <see cref="CompressionCodecs.Compress(CompressionType, ReadOnlySpan{byte}, int?)"/>).</param>
    /// <param name="maxBatchBytes">The largest stored batch accepted.</param>
    public static byte[]? Recompress(ReadOnlySpan<byte> batches, CompressionType codec, int? level, int maxBatchBytes)
    {
        if (!AnyDiffers(batches, codec))
        {
            return null;
        }

        var output = new List<byte[]>();
        var total = 0;
        for (var position = 0; position < batches.Length;)
        {
            var header = RecordBatchHeader.Read(batches[position..]);
            var batch = batches.Slice(position, header.TotalSize);
            var rewritten = header.Compression == codec || header.IsControl ? batch.ToArray() : Reencode(batch, header, codec, level);
            if (rewritten.Length > maxBatchBytes)
            {
                throw new LogException(LogErrorCode.MessageTooLarge, $"The batch at byte {position} is {rewritten.Length} bytes once stored with {codec}, above the limit of {maxBatchBytes} bytes.");
            }

            output.Add(rewritten);
            total += rewritten.Length;
            position += header.TotalSize;
        }

        var result = new byte[total];
        var at = 0;
        foreach (var part in output)
        {
            part.CopyTo(result, at);
            at += part.Length;
        }

        return result;
    }

    /// <summary>
    /// Marks the batch at the start of <paramref name="batch"/> as LogAppendTime with max timestamp
    /// <paramref name="appendTimeMs"/> and rewrites its CRC, as Kafka does for LogAppendTime topics.
    /// Readers then report the append time as every record's timestamp.
    /// </summary>
    public static void StampLogAppendTime(Span<byte> batch, long appendTimeMs)
    {
        var attributes = BinaryPrimitives.ReadInt16BigEndian(batch[RecordBatchHeader.AttributesOffset..]);
        BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchHeader.AttributesOffset..], (short)(attributes | RecordBatchHeader.TimestampTypeFlag));
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.MaxTimestampOffset..], appendTimeMs);
        RecordBatchHeader.WriteCrc(batch);
    }

    /// <summary>
    /// Checks every record's create time against the append time, as Kafka does for CreateTime topics: a
    /// record more than <paramref name="beforeMaxMs"/> older or <paramref name="afterMaxMs"/> newer than
    /// <paramref name="nowMs"/> is refused. <see cref="long.MaxValue"/> means no bound.
    /// </summary>
    /// <exception cref="LogException">With <see cref="LogErrorCode.InvalidTimestamp"/>, naming the record and the accepted range.</exception>
    public static void CheckTimestamps(ReadOnlySpan<byte> batches, long nowMs, long beforeMaxMs, long afterMaxMs)
    {
        // Computed without overflow (both bounds are at least 0, and so is nowMs): a bound of
        // long.MaxValue admits every timestamp.
        var earliest = beforeMaxMs == long.MaxValue ? long.MinValue : nowMs - beforeMaxMs;
        var latest = afterMaxMs > long.MaxValue - nowMs ? long.MaxValue : nowMs + afterMaxMs;
        for (var position = 0; position < batches.Length;)
        {
            var header = RecordBatchHeader.Read(batches[position..]);
            foreach (var record in RecordBatchReader.DecodeBatch(batches.Slice(position, header.TotalSize)))
            {
                if (record.Timestamp < earliest || record.Timestamp > latest)
                {
                    throw new LogException(
                        LogErrorCode.InvalidTimestamp,
                        $"Timestamp {record.Timestamp} of the record at offset delta {record.Offset - header.BaseOffset} is out of range: the topic accepts [{earliest}, {latest}] at append time {nowMs} (message.timestamp.before.max.ms / after.max.ms).");
                }
            }

            position += header.TotalSize;
        }
    }

    private static bool AnyDiffers(ReadOnlySpan<byte> batches, CompressionType codec)
    {
        for (var position = 0; position < batches.Length;)
        {
            var header = RecordBatchHeader.Read(batches[position..]);
            if (header.Compression != codec && !header.IsControl)
            {
                return true;
            }

            position += header.TotalSize;
        }

        return false;
    }

    /// <summary>
    /// The records section is the same bytes whatever the codec, so a batch changes codec by decompressing
    /// and compressing that section only: the header (offsets, timestamps, producer fields, record count)
    /// is copied, then the length, the codec bits and the CRC are rewritten. No record is decoded.
    /// </summary>
    private static byte[] Reencode(ReadOnlySpan<byte> batch, in RecordBatchHeader header, CompressionType codec, int? level)
    {
        var section = batch[RecordBatchHeader.Size..];
        var records = header.Compression == CompressionType.None ? section : CompressionCodecs.Decompress(header.Compression, section);
        var payload = codec == CompressionType.None ? records : CompressionCodecs.Compress(codec, records, level);
        var rewritten = new byte[RecordBatchHeader.Size + payload.Length];
        batch[..RecordBatchHeader.Size].CopyTo(rewritten);
        payload.CopyTo(rewritten.AsSpan(RecordBatchHeader.Size));
        var span = rewritten.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(span[8..], rewritten.Length - RecordBatchHeader.LogOverhead);
        var attributes = (short)((header.Attributes & ~RecordBatchHeader.CompressionMask) | (int)codec);
        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatchHeader.AttributesOffset..], attributes);
        RecordBatchHeader.WriteCrc(span);
        return rewritten;
    }
}
