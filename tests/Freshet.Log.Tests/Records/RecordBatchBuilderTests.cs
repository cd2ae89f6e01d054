using System.Buffers.Binary;
using Freshet.Log.Records;

namespace Freshet.Log.Tests.Records;

public class RecordBatchBuilderTests
{
    private static LogRecord At(long offset, long timestamp, string value) =>
        new(timestamp, [(byte)offset], System.Text.Encoding.UTF8.GetBytes(value)) { Offset = offset };

    [Fact]
    public void AddWithOffset_Gaps_ReadsBackOriginalOffsets()
    {
        var builder = new RecordBatchBuilder { Compression = CompressionType.Lz4 };
        LogRecord[] kept = [At(100, 5, "a"), At(103, 4, "b"), At(104, 9, "c"), At(250, 7, "d")];
        foreach (var record in kept)
        {
            builder.AddWithOffset(record);
        }

        var batch = builder.Build();

        var header = RecordBatchHeader.Read(batch);
        Assert.Equal(100, header.BaseOffset);
        Assert.Equal(150, header.LastOffsetDelta);
        Assert.Equal(250, header.LastOffset);
        Assert.Equal(4, header.RecordCount);
        Assert.Equal(5, header.BaseTimestamp);
        Assert.Equal(9, header.MaxTimestamp);
        RecordAssert.Equal(kept, RecordBatchReader.ReadRecords(batch).ToArray());
    }

    [Fact]
    public void AddWithOffset_Gaps_ValidatorRejectsAsInvalidRecord()
    {
        var builder = new RecordBatchBuilder();
        builder.AddWithOffset(At(0, 1, "a"));
        builder.AddWithOffset(At(2, 1, "b"));

        Assert.Equal(LogErrorCode.InvalidRecord, RecordBatchValidator.Validate(builder.Build(), int.MaxValue, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Build_AbsoluteModeWithEarlierBaseOffset_KeepsRecordOffsets()
    {
        var builder = new RecordBatchBuilder();
        builder.AddWithOffset(At(42, 1, "x"));
        builder.AddWithOffset(At(45, 2, "y"));

        var batch = builder.Build(baseOffset: 40);

        Assert.Equal(40, RecordBatchHeader.Read(batch).BaseOffset);
        Assert.Equal(5, RecordBatchHeader.Read(batch).LastOffsetDelta);
        Assert.Equal([42L, 45L], RecordBatchReader.ReadRecords(batch).Select(r => r.Offset));
    }

    [Fact]
    public void Build_AbsoluteModeBaseOffsetAboveFirstRecord_Throws()
    {
        var builder = new RecordBatchBuilder();
        builder.AddWithOffset(At(42, 1, "x"));

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Build(baseOffset: 43));
    }

    [Fact]
    public void AddWithOffset_OffsetNotIncreasing_Throws()
    {
        var builder = new RecordBatchBuilder();
        builder.AddWithOffset(At(5, 1, "x"));

        Assert.Throws<ArgumentException>(() => builder.AddWithOffset(At(5, 1, "y")));
        Assert.Equal(1, builder.Count);
    }

    [Fact]
    public void AddWithOffset_AfterSequentialAdd_Throws()
    {
        var builder = new RecordBatchBuilder();
        builder.Add(1, [1], [2]);

        Assert.Throws<InvalidOperationException>(() => builder.AddWithOffset(At(5, 1, "x")));
    }

    [Fact]
    public void Add_AfterAddWithOffset_Throws()
    {
        var builder = new RecordBatchBuilder();
        builder.AddWithOffset(At(5, 1, "x"));

        Assert.Throws<InvalidOperationException>(() => builder.Add(1, [1], [2]));
    }

    [Fact]
    public void Build_NoRecords_Throws() => Assert.Throws<InvalidOperationException>(() => new RecordBatchBuilder().Build());

    [Fact]
    public void Build_Options_WrittenToHeader()
    {
        var builder = new RecordBatchBuilder
        {
            Compression = CompressionType.Zstd,
            ProducerId = 7,
            ProducerEpoch = 3,
            BaseSequence = 11,
            IsTransactional = true,
            PartitionLeaderEpoch = 9,
        };
        builder.Add(1000, [1], [2]);
        builder.Add(999, [3], [4]);

        var header = RecordBatchHeader.Read(builder.Build(77));

        Assert.Equal(77, header.BaseOffset);
        Assert.Equal(9, header.PartitionLeaderEpoch);
        Assert.Equal(RecordBatchHeader.CurrentMagic, header.Magic);
        Assert.Equal(CompressionType.Zstd, header.Compression);
        Assert.True(header.IsTransactional);
        Assert.False(header.IsControl);
        Assert.False(header.IsLogAppendTime);
        Assert.Equal(7, header.ProducerId);
        Assert.Equal(3, header.ProducerEpoch);
        Assert.Equal(11, header.BaseSequence);
        Assert.Equal(12, header.LastSequence);
        Assert.Equal(1000, header.BaseTimestamp);
        Assert.Equal(1000, header.MaxTimestamp);
    }

    [Fact]
    public void Build_Defaults_MatchJavaProducer()
    {
        var builder = new RecordBatchBuilder();
        builder.Add(1, [1], [2]);

        var header = RecordBatchHeader.Read(builder.Build());

        Assert.Equal(-1, header.PartitionLeaderEpoch);
        Assert.Equal(RecordBatchHeader.NoProducerId, header.ProducerId);
        Assert.Equal(RecordBatchHeader.NoProducerEpoch, header.ProducerEpoch);
        Assert.Equal(RecordBatchHeader.NoSequence, header.BaseSequence);
        Assert.Equal(0, header.Attributes);
    }

    [Fact]
    public void Build_Uncompressed_MatchesHandEncodedKafkaBytes()
    {
        var builder = new RecordBatchBuilder();
        builder.Add(1_000, null, new byte[] { 0xAB }, [new RecordHeader("h", null)]);
        builder.Add(998, new byte[] { 0x01, 0x02 }, null);

        var batch = builder.Build(5);

        byte[] records =
        [
            // length 10: attributes, ts delta 0, offset delta 0, key -1, value 1 byte AB, 1 header: key "h", value -1
            0x14, 0x00, 0x00, 0x00, 0x01, 0x02, 0xAB, 0x02, 0x02, (byte)'h', 0x01,
            // length 8: attributes, ts delta -2, offset delta 1, key 2 bytes, value -1, 0 headers
            0x10, 0x00, 0x03, 0x02, 0x04, 0x01, 0x02, 0x01, 0x00,
        ];
        Assert.Equal(records, batch[RecordBatchHeader.Size..]);
        Assert.Equal(batch.Length - 12, BinaryPrimitives.ReadInt32BigEndian(batch.AsSpan(8)));
        Assert.Equal(RecordBatchHeader.ComputeCrc(batch), RecordBatchHeader.Read(batch).Crc);
        Assert.Equal(1, RecordBatchHeader.Read(batch).LastOffsetDelta);
    }

    [Fact]
    public void Add_SpanOverload_EncodesEmptyNotNull()
    {
        var builder = new RecordBatchBuilder();
        builder.Add(1, ReadOnlySpan<byte>.Empty, ReadOnlySpan<byte>.Empty);

        var record = Assert.Single(RecordBatchReader.ReadRecords(builder.Build()));

        Assert.NotNull(record.Key);
        Assert.Empty(record.Key);
        Assert.NotNull(record.Value);
        Assert.Empty(record.Value);
        Assert.Empty(record.Headers);
    }

    [Fact]
    public void Add_NullKeyAndValue_ReadsBackNull()
    {
        var builder = new RecordBatchBuilder();
        builder.Add(1, null, null);

        var record = Assert.Single(RecordBatchReader.ReadRecords(builder.Build()));

        Assert.Null(record.Key);
        Assert.Null(record.Value);
    }

    [Fact]
    public void Add_HeaderWithNullKey_ThrowsAndAddsNothing()
    {
        var builder = new RecordBatchBuilder();

        Assert.Throws<ArgumentException>(() => builder.Add(1, [1], [2], [default]));
        Assert.Equal(0, builder.Count);
        Assert.Equal(RecordBatchHeader.Size, builder.EstimatedSizeBytes);
    }

    [Fact]
    public void EstimatedSizeBytes_Uncompressed_EqualsBuiltLength()
    {
        var builder = new RecordBatchBuilder();
        builder.Add(1, new byte[] { 1, 2, 3 }, new byte[300], [new RecordHeader("k", [9])]);
        builder.Add(2, null, new byte[] { 4 });

        Assert.Equal(builder.Build().Length, builder.EstimatedSizeBytes);
        Assert.Equal(2, builder.Count);
    }

    [Fact]
    public void EstimatedSizeBytes_AbsoluteModeUncompressed_EqualsBuiltLength()
    {
        var builder = new RecordBatchBuilder();
        builder.AddWithOffset(At(3, 1, "x"));
        builder.AddWithOffset(At(9, 2, "y"));

        Assert.Equal(builder.Build().Length, builder.EstimatedSizeBytes);
    }

    [Fact]
    public void Reset_AfterBuild_NextBatchHoldsOnlyNewRecords()
    {
        var builder = new RecordBatchBuilder();
        builder.Add(1, [1], [1]);
        builder.Build();
        builder.Reset();
        builder.Add(50, [2], [2]);

        var batch = builder.Build();

        var record = Assert.Single(RecordBatchReader.ReadRecords(batch));
        Assert.Equal(50, record.Timestamp);
        Assert.Equal(50, RecordBatchHeader.Read(batch).BaseTimestamp);
        Assert.Equal(0, record.Offset);
    }

    [Fact]
    public void Reset_AfterAbsoluteMode_AllowsSequentialAdd()
    {
        var builder = new RecordBatchBuilder();
        builder.AddWithOffset(At(5, 1, "x"));
        builder.Reset();
        builder.Add(1, [1], [1]);

        Assert.Equal(0, Assert.Single(RecordBatchReader.ReadRecords(builder.Build())).Offset);
    }

    [Fact]
    public void Build_LogAppendTime_EveryRecordReadsMaxTimestamp()
    {
        var builder = new RecordBatchBuilder { LogAppendTimeMs = 123_456 };
        builder.Add(1, [1], [1]);
        builder.Add(2, [2], [2]);

        var batch = builder.Build();

        Assert.True(RecordBatchHeader.Read(batch).IsLogAppendTime);
        Assert.Equal(123_456, RecordBatchHeader.Read(batch).MaxTimestamp);
        Assert.All(RecordBatchReader.ReadRecords(batch), r => Assert.Equal(123_456, r.Timestamp));
    }

    [Fact]
    public void Build_ControlBatch_SkippedByReaderUnlessIncluded()
    {
        var control = new RecordBatchBuilder { IsControl = true, IsTransactional = true, ProducerId = 1, ProducerEpoch = 0 };
        control.Add(5, [0, 0, 0, 1], [0, 0, 0, 0, 0, 0]);
        var data = new RecordBatchBuilder();
        data.Add(5, [1], [1]);
        byte[] log = [.. data.Build(0), .. control.Build(1)];

        Assert.True(RecordBatchHeader.Read(control.Build(1)).IsControl);
        Assert.Equal([0L], RecordBatchReader.ReadRecords(log).Select(r => r.Offset));
        Assert.Equal([0L, 1L], RecordBatchReader.ReadRecords(log, includeControlBatches: true).Select(r => r.Offset));
    }

    [Fact]
    public void Build_CalledTwice_ReturnsSameBytes()
    {
        var builder = new RecordBatchBuilder { Compression = CompressionType.Gzip };
        builder.AddWithOffset(At(1, 1, "x"));

        Assert.Equal(builder.Build(), builder.Build());
    }

    [Fact]
    public void Build_Static_IgnoresRecordOffsets()
    {
        LogRecord[] records = [At(100, 1, "a"), At(7, 2, "b")];

        var read = RecordBatchReader.ReadRecords(RecordBatchBuilder.Build(records, CompressionType.Snappy, baseOffset: 3)).ToArray();

        Assert.Equal([3L, 4L], read.Select(r => r.Offset));
    }
}
