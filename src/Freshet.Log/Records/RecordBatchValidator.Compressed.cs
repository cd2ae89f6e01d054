namespace Freshet.Log.Records;

public static partial class RecordBatchValidator
{
    /// <summary>
    /// Checks the records of a compressed batch while they are decompressed, never holding the whole
    /// decompressed section: the records plus the batch header may not pass <paramref name="maxBatchBytes"/>
    /// (as Kafka refuses a batch whose uncompressed size passes the topic's <c>max.message.bytes</c> with
    /// MESSAGE_TOO_LARGE), and decompression stops as soon as they do.
    /// </summary>
    private static LogErrorCode ValidateCompressedRecords(in RecordBatchHeader header, ReadOnlySpan<byte> compressed, int maxBatchBytes, out string? error)
    {
        using var records = new RecordStreamValidator(header.RecordCount, (long)maxBatchBytes - RecordBatchHeader.Size);
        try
        {
            CompressionCodecs.DecompressTo(header.Compression, compressed, records);
        }
        catch (LogException e)
        {
            if (!records.Failed)
            {
                error = e.Message;
                return e.ErrorCode;
            }
        }

        return records.Complete(out error);
    }
}
