using Freshet.Log.Records;

namespace Freshet.Bench.Log;

/// <summary>
/// The data every log measurement writes: one RecordBatch v2 of 1 KiB records (null keys,
/// uncompressed) filling at most 64 KiB, built once and appended <see cref="BatchCount"/> times.
/// The log assigns offsets itself, so appending the same bytes again is a valid append.
/// Immutable after construction; thread-safe.
/// </summary>
internal sealed class LogWorkload
{
    public const int RecordValueBytes = 1024;
    public const int MaxBatchBytes = 64 * 1024;

    private LogWorkload(byte[] batch, int recordsPerBatch, int batchCount)
    {
        Batch = batch;
        RecordsPerBatch = recordsPerBatch;
        BatchCount = batchCount;
    }

    /// <summary>The complete batch bytes (base offset 0, valid CRC).</summary>
    public byte[] Batch { get; }

    public int RecordsPerBatch { get; }

    /// <summary>How many times the batch is appended in one measurement.</summary>
    public int BatchCount { get; }

    /// <summary>Bytes written by one measurement: <see cref="BatchCount"/> whole batches.</summary>
    public long TotalBytes => (long)Batch.Length * BatchCount;

    public long TotalRecords => (long)RecordsPerBatch * BatchCount;

    /// <summary>Builds the batch and sizes the run to whole batches not exceeding <paramref name="totalBytes"/>.</summary>
    public static LogWorkload Create(long totalBytes)
    {
        var value = new byte[RecordValueBytes];
        new Random(42).NextBytes(value);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // The largest number of records whose batch still fits in 64 KiB, header included.
        for (var records = MaxBatchBytes / RecordValueBytes; records > 0; records--)
        {
            var builder = new RecordBatchBuilder(CompressionType.None);
            for (var i = 0; i < records; i++)
            {
                builder.Add(timestamp + i, (byte[]?)null, value);
            }

            var batch = builder.Build();
            if (batch.Length <= MaxBatchBytes)
            {
                return new LogWorkload(batch, records, (int)Math.Max(1, totalBytes / batch.Length));
            }
        }

        throw new InvalidOperationException("No batch of 1 KiB records fits in 64 KiB.");
    }

    /// <summary>The same batch, appended <paramref name="batchCount"/> times.</summary>
    public LogWorkload WithBatchCount(int batchCount) => new(Batch, RecordsPerBatch, batchCount);
}
