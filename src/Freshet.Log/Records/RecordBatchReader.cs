using System.Buffers.Binary;

namespace Freshet.Log.Records;

/// <summary>
/// Reads Kafka RecordBatch v2 bytes laid end to end (as the log's read and a fetch response return
/// them): splits them into batches, and decodes batches into <see cref="LogRecord"/>s. Input is
/// untrusted: anything malformed throws <see cref="LogException"/> with
/// <see cref="LogErrorCode.CorruptMessage"/> (or <see cref="LogErrorCode.UnsupportedForMessageFormat"/>
/// / <see cref="LogErrorCode.UnsupportedCompressionType"/>), never another exception. A trailing
/// partial batch, which a fetch response may end with when it hits its byte limit, is ignored as
/// Kafka consumers ignore it. Pure; thread-safe.
/// </summary>
public static class RecordBatchReader
{
    /// <summary>
    /// Splits <paramref name="batches"/> into complete batches without decoding or checking their
    /// records or CRC. Enumeration stops at a trailing partial batch (fewer bytes than it declares).
    /// </summary>
    /// <exception cref="LogException">When a complete batch has an impossible length or a magic other than 2.</exception>
    public static IEnumerable<(RecordBatchHeader Header, ReadOnlyMemory<byte> Bytes)> ReadBatches(ReadOnlyMemory<byte> batches)
    {
        var position = 0;
        while (TryNextBatch(batches.Span, position, out var header, out var size))
        {
            yield return (header, batches.Slice(position, size));
            position += size;
        }
    }

    /// <summary>
    /// Decodes every record of every complete batch in <paramref name="batches"/>, in order. Each batch's
    /// CRC-32C is checked and its records section decompressed; a record's offset is the batch's
    /// <c>BaseOffset</c> plus its offset delta, and its timestamp is <c>BaseTimestamp</c> plus its delta,
    /// or the batch's <c>MaxTimestamp</c> when the batch uses LogAppendTime. A batch is decoded whole
    /// before any of its records is returned, so a corrupt batch yields none.
    /// </summary>
    /// <param name="batches">Zero or more batches; a trailing partial batch is ignored.</param>
    /// <param name="includeControlBatches">Whether to return the records of control batches (transaction markers).</param>
    /// <exception cref="LogException">When a complete batch is corrupt or uses an unsupported format or codec.</exception>
    public static IEnumerable<LogRecord> ReadRecords(ReadOnlyMemory<byte> batches, bool includeControlBatches = false)
    {
        var position = 0;
        while (TryNextBatch(batches.Span, position, out var header, out var size))
        {
            var start = position;
            position += size;
            if (header.IsControl && !includeControlBatches)
            {
                continue;
            }

            foreach (var record in DecodeBatch(batches.Span.Slice(start, size)))
            {
                yield return record;
            }
        }
    }

    /// <summary>
    /// Decodes the records of one complete batch: <paramref name="batch"/> must hold exactly one batch
    /// (for example an element from <see cref="ReadBatches"/>). Checks the CRC-32C, decompresses, and
    /// checks that the records fill the records section exactly.
    /// </summary>
    /// <exception cref="LogException">When the batch is corrupt or uses an unsupported format or codec.</exception>
    public static LogRecord[] DecodeBatch(ReadOnlySpan<byte> batch)
    {
        if (!TryNextBatch(batch, 0, out var header, out var size) || size != batch.Length)
        {
            throw new LogException(LogErrorCode.CorruptMessage, $"Expected exactly one record batch in {batch.Length} bytes.");
        }

        var crc = RecordBatchHeader.ComputeCrc(batch);
        if (crc != header.Crc)
        {
            throw Corrupt(header, $"CRC-32C mismatch: stored 0x{header.Crc:x8}, computed 0x{crc:x8}");
        }

        if (header.RecordCount < 0)
        {
            throw Corrupt(header, $"negative record count {header.RecordCount}");
        }

        var section = batch[RecordBatchHeader.Size..];
        ReadOnlySpan<byte> records = header.Compression == CompressionType.None
            ? section
            : CompressionCodecs.Decompress(header.Compression, section);

        // Every record takes at least MinRecordBytes, so a count the bytes cannot hold is corrupt;
        // checked before the array is sized by it.
        if (header.RecordCount > records.Length / RecordCodec.MinRecordBytes)
        {
            throw Corrupt(header, $"record count {header.RecordCount} cannot fit in {records.Length} bytes of records");
        }

        var result = new LogRecord[header.RecordCount];
        var position = 0;
        try
        {
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = RecordCodec.Read(records, ref position, i, header, materialize: true, out _)!;
            }
        }
        catch (LogException e)
        {
            throw Corrupt(header, e.Message.TrimEnd('.'), e);
        }

        if (position != records.Length)
        {
            throw Corrupt(header, $"{records.Length - position} bytes follow the last of {header.RecordCount} records");
        }

        return result;
    }

    /// <summary>
    /// Finds the complete batch starting at <paramref name="position"/>. False at the end of the data or
    /// at a trailing partial batch; throws for a complete batch that cannot be v2.
    /// </summary>
    private static bool TryNextBatch(ReadOnlySpan<byte> data, int position, out RecordBatchHeader header, out int size)
    {
        header = default;
        size = 0;
        var remaining = data.Length - position;
        if (remaining < RecordBatchHeader.LogOverhead)
        {
            return false;
        }

        var batchLength = BinaryPrimitives.ReadInt32BigEndian(data[(position + 8)..]);
        if (batchLength < 0)
        {
            throw new LogException(LogErrorCode.CorruptMessage, $"The batch at byte {position} declares a negative length {batchLength}.");
        }

        var total = (long)batchLength + RecordBatchHeader.LogOverhead;
        if (total > remaining)
        {
            return false;
        }

        // Older message formats keep their magic byte at the same position, so check it before the
        // v2 minimum length: a small v0/v1 message then gets the clearer error.
        if (total > RecordBatchHeader.MagicOffset)
        {
            var magic = data[position + RecordBatchHeader.MagicOffset];
            if (magic != RecordBatchHeader.CurrentMagic)
            {
                throw new LogException(
                    magic < RecordBatchHeader.CurrentMagic ? LogErrorCode.UnsupportedForMessageFormat : LogErrorCode.CorruptMessage,
                    $"The batch at byte {position} has magic {magic}; only record format v2 (magic 2) is supported.");
            }
        }

        if (total < RecordBatchHeader.Size)
        {
            throw new LogException(LogErrorCode.CorruptMessage, $"The batch at byte {position} declares {total} bytes, fewer than a v2 header's {RecordBatchHeader.Size}.");
        }

        header = RecordBatchHeader.Read(data.Slice(position, (int)total));
        size = (int)total;
        return true;
    }

    private static LogException Corrupt(in RecordBatchHeader header, string problem, Exception? inner = null)
    {
        var message = $"The batch at base offset {header.BaseOffset} is corrupt: {problem}.";
        return inner is null ? new LogException(LogErrorCode.CorruptMessage, message) : new LogException(LogErrorCode.CorruptMessage, message, inner);
    }
}
