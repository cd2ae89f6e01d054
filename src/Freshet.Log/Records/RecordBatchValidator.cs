namespace Freshet.Log.Records;

/// <summary>
/// Checks that bytes offered for append are well-formed Kafka RecordBatch v2 batches before the
/// log stores them: lengths, magic, CRC-32C, codec, record count, and that record offset deltas
/// run 0, 1, 2, ... as a producer writes them. Pure; thread-safe.
/// </summary>
public static partial class RecordBatchValidator
{
    /// <summary>
    /// Validates one or more batches laid end to end, filling exactly <paramref name="batches"/>.
    /// </summary>
    /// <param name="batches">The bytes to check.</param>
    /// <param name="maxBatchBytes">Largest size of a single batch, header included (the topic's <c>max.message.bytes</c>).
    /// A compressed batch's records may not decompress to more than this less the header either; decompression
    /// stops as soon as they do, so memory stays bounded by this value whatever the compressed data claims.</param>
    /// <param name="error">On failure, a sentence naming the problem and the batch's position.</param>
    /// <returns><see cref="LogErrorCode.None"/>, or the Kafka error that describes the first problem.</returns>
    public static LogErrorCode Validate(ReadOnlySpan<byte> batches, int maxBatchBytes, out string? error)
    {
        if (batches.IsEmpty)
        {
            error = "The append holds no record batch.";
            return LogErrorCode.CorruptMessage;
        }

        var position = 0;
        while (position < batches.Length)
        {
            var code = ValidateOne(batches[position..], maxBatchBytes, out var size, out error);
            if (code != LogErrorCode.None)
            {
                error = $"Batch at byte {position}: {error}";
                return code;
            }

            position += size;
        }

        error = null;
        return LogErrorCode.None;
    }

    /// <summary>Validates the batch at the start of <paramref name="data"/>; <paramref name="size"/> is its total size.</summary>
    public static LogErrorCode ValidateOne(ReadOnlySpan<byte> data, int maxBatchBytes, out int size, out string? error)
    {
        size = 0;
        if (data.Length < RecordBatchHeader.LogOverhead)
        {
            error = $"truncated: {data.Length} bytes cannot hold a batch's offset and length.";
            return LogErrorCode.CorruptMessage;
        }

        var header12 = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data[8..]);
        if (header12 < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead)
        {
            error = $"batch length {header12} is smaller than a v2 header.";
            return LogErrorCode.CorruptMessage;
        }

        long total = (long)header12 + RecordBatchHeader.LogOverhead;
        if (total > maxBatchBytes)
        {
            error = $"batch of {total} bytes exceeds the limit of {maxBatchBytes} bytes.";
            return LogErrorCode.MessageTooLarge;
        }

        if (total > data.Length)
        {
            error = $"truncated: the batch declares {total} bytes but only {data.Length} follow.";
            return LogErrorCode.CorruptMessage;
        }

        var batch = data[..(int)total];
        var header = RecordBatchHeader.Read(batch);
        if (header.Magic != RecordBatchHeader.CurrentMagic)
        {
            error = $"magic {header.Magic} is not supported; only record format v2 (magic 2) is stored.";
            return header.Magic < RecordBatchHeader.CurrentMagic ? LogErrorCode.UnsupportedForMessageFormat : LogErrorCode.CorruptMessage;
        }

        var crc = RecordBatchHeader.ComputeCrc(batch);
        if (crc != header.Crc)
        {
            error = $"CRC-32C mismatch: stored 0x{header.Crc:x8}, computed 0x{crc:x8}.";
            return LogErrorCode.CorruptMessage;
        }

        if ((int)header.Compression > (int)CompressionType.Zstd)
        {
            error = $"unknown compression codec {(int)header.Compression}.";
            return LogErrorCode.UnsupportedCompressionType;
        }

        if (header.RecordCount <= 0 || header.LastOffsetDelta != header.RecordCount - 1)
        {
            error = $"record count {header.RecordCount} does not match last offset delta {header.LastOffsetDelta}.";
            return LogErrorCode.InvalidRecord;
        }

        var code = header.Compression == CompressionType.None
            ? ValidateRecords(batch[RecordBatchHeader.Size..], header.RecordCount, out error)
            : ValidateCompressedRecords(header, batch[RecordBatchHeader.Size..], maxBatchBytes, out error);
        if (code != LogErrorCode.None)
        {
            return code;
        }

        size = (int)total;
        error = null;
        return LogErrorCode.None;
    }

    /// <summary>
    /// Walks uncompressed records: each record must be well-formed (every length inside its record,
    /// the fields filling the record exactly), its offset delta must equal its index, and the records
    /// must fill the batch exactly.
    /// </summary>
    internal static LogErrorCode ValidateRecords(ReadOnlySpan<byte> records, int expectedCount, out string? error)
    {
        var position = 0;
        var unused = default(RecordBatchHeader);
        for (var index = 0; index < expectedCount; index++)
        {
            int offsetDelta;
            try
            {
                RecordCodec.Read(records, ref position, index, unused, materialize: false, out offsetDelta);
            }
            catch (LogException e)
            {
                error = e.Message;
                return e.ErrorCode;
            }

            if (offsetDelta != index)
            {
                error = $"record {index} has offset delta {offsetDelta}; deltas must run 0, 1, 2, ...";
                return LogErrorCode.InvalidRecord;
            }
        }

        if (position != records.Length)
        {
            error = $"{records.Length - position} bytes follow the last of {expectedCount} records.";
            return LogErrorCode.CorruptMessage;
        }

        error = null;
        return LogErrorCode.None;
    }
}
