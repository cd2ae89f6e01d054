using Freshet.Log.Records;

namespace Freshet.Log.Tests.Partitions;

public sealed class ReadIntoTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-readinto-" + Guid.NewGuid().ToString("N"));
    private readonly LogStore _store;

    public ReadIntoTests()
    {
        _store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
        _store.CreateTopic("t", 1);
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static byte[] Batch(int records, int valueBytes)
    {
        var builder = new RecordBatchBuilder();
        for (var i = 0; i < records; i++)
        {
            builder.Add(1000 + i, new byte[] { (byte)i }, new byte[valueBytes]);
        }

        return builder.Build();
    }

    [Fact]
    public void ReadInto_BufferLargeEnough_CopiesTheSameBytesAsRead()
    {
        var partition = _store.GetPartition("t", 0);
        for (var i = 0; i < 10; i++)
        {
            partition.Append(Batch(5, 100));
        }

        var buffer = new byte[1 << 20];
        var written = partition.ReadInto(12, buffer, out var firstBatchBytes);

        var expected = partition.Read(12, buffer.Length).Records.ToArray();
        Assert.Equal(expected, buffer.AsSpan(0, written).ToArray());
        Assert.Equal(RecordBatchHeader.Read(expected).TotalSize, firstBatchBytes);
        Assert.Equal(8, expected.Length / firstBatchBytes); // offset 12 is in the third batch (10..14)
    }

    [Fact]
    public void ReadInto_BufferSmallerThanFirstBatch_CopiesNothingAndReportsTheSizeNeeded()
    {
        var partition = _store.GetPartition("t", 0);
        var batch = Batch(3, 500);
        partition.Append(batch);

        var written = partition.ReadInto(0, new byte[100], out var firstBatchBytes);

        Assert.Equal(0, written);
        Assert.Equal(batch.Length, firstBatchBytes);
    }

    [Fact]
    public void ReadInto_BufferHoldsOneAndAHalfBatches_CopiesOnlyWholeBatches()
    {
        var partition = _store.GetPartition("t", 0);
        var batch = Batch(2, 300);
        partition.Append(batch);
        partition.Append(batch);

        var buffer = new byte[batch.Length + (batch.Length / 2)];
        var written = partition.ReadInto(0, buffer, out _);

        Assert.Equal(batch.Length, written);
    }

    [Fact]
    public void ReadInto_AtLogEnd_ReturnsZeroWithNoFirstBatch()
    {
        var partition = _store.GetPartition("t", 0);
        partition.Append(Batch(1, 10));

        var written = partition.ReadInto(partition.LogEndOffset, new byte[1024], out var firstBatchBytes);

        Assert.Equal(0, written);
        Assert.Equal(0, firstBatchBytes);
    }

    [Fact]
    public void ReadInto_BeyondLogEnd_ThrowsOffsetOutOfRange()
    {
        var partition = _store.GetPartition("t", 0);
        partition.Append(Batch(1, 10));

        var error = Assert.Throws<LogException>(() => partition.ReadInto(5, new byte[1024], out _));

        Assert.Equal(LogErrorCode.OffsetOutOfRange, error.ErrorCode);
    }
}
