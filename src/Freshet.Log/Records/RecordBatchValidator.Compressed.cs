namespace Freshet.Log.Records;

public static partial class RecordBatchValidator
{
    private static LogErrorCode ValidateCompressedRecords(in RecordBatchHeader header, ReadOnlySpan<byte> compressed, out string? error)
    {
        byte[] records;
        try
        {
            records = CompressionCodecs.Decompress(header.Compression, compressed);
        }
        catch (LogException e)
        {
            error = e.Message;
            return e.ErrorCode;
        }

        return ValidateRecords(records, header.RecordCount, out error);
    }
}
