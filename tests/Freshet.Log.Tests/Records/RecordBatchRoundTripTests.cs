using CsCheck;
using Freshet.Log.Records;

namespace Freshet.Log.Tests.Records;

public class RecordBatchRoundTripTests
{
    [Fact]
    public void Build_RandomRecordsEveryCodec_ValidatesAndReadsBackEqual() =>
        Gen.Select(RecordGens.Records, Gen.Long[0, 1L << 40]).Sample((records, baseOffset) =>
        {
            foreach (var codec in RecordGens.AllCodecs)
            {
                var batch = RecordBatchBuilder.Build(records, codec, baseOffset);

                Assert.Equal(LogErrorCode.None, RecordBatchValidator.Validate(batch, int.MaxValue, out var error));
                Assert.Null(error);
                var header = RecordBatchHeader.Read(batch);
                Assert.Equal(codec, header.Compression);
                Assert.Equal(records.Length, header.RecordCount);
                Assert.Equal(records[0].Timestamp, header.BaseTimestamp);
                Assert.Equal(records.Max(r => r.Timestamp), header.MaxTimestamp);

                var expected = records.Select((r, i) => new LogRecord(r.Timestamp, r.Key, r.Value, r.Headers) { Offset = baseOffset + i }).ToArray();
                RecordAssert.Equal(expected, RecordBatchReader.ReadRecords(batch).ToArray());
            }
        }, iter: 200);

    [Fact]
    public void ReadRecords_SeveralBatchesEndToEnd_ReadsAllInOrder() =>
        Gen.Select(RecordGens.Records, RecordGens.Records, RecordGens.Codec, RecordGens.Codec).Sample((first, second, codec1, codec2) =>
        {
            var batch1 = RecordBatchBuilder.Build(first, codec1, baseOffset: 10);
            var batch2 = RecordBatchBuilder.Build(second, codec2, baseOffset: 10 + first.Length);
            byte[] log = [.. batch1, .. batch2];

            Assert.Equal(LogErrorCode.None, RecordBatchValidator.Validate(log, int.MaxValue, out _));
            var read = RecordBatchReader.ReadRecords(log).ToArray();
            Assert.Equal(Enumerable.Range(10, first.Length + second.Length).Select(i => (long)i), read.Select(r => r.Offset));
            RecordAssert.Equal(first.Concat(second).Select((r, i) => new LogRecord(r.Timestamp, r.Key, r.Value, r.Headers) { Offset = 10 + i }).ToArray(), read);
        }, iter: 50);
}
