using System.Buffers;
using CsCheck;
using Freshet.Streaming.Connectors.Kafka;

namespace Freshet.Streaming.Tests.Connectors;

/// <summary>The committable codec of the exactly-once Kafka sink: round trip for any records, and malformed input rejected.</summary>
public sealed class KafkaCommittableTests
{
    private static readonly Gen<byte[]?> Bytes = Gen.Byte.Array[0, 40].Select(Gen.Bool, (bytes, isNull) => isNull ? null : bytes);

    private static readonly Gen<BufferedKafkaRecord[]> Records =
        Gen.Select(Gen.Long, Bytes, Bytes, (timestamp, key, value) => new BufferedKafkaRecord(timestamp, key, value)).Array[0, 30];

    [Fact]
    public void Decode_OfCreate_ReturnsCheckpointIdAndRecords()
    {
        Gen.Select(Gen.Long[0, long.MaxValue], Records).Sample((checkpointId, records) =>
        {
            var decoded = KafkaCommittable.Decode(Encode(checkpointId, records), out var id);
            Assert.Equal(checkpointId, id);
            Assert.Equal(records.Length, decoded.Length);
            for (var i = 0; i < records.Length; i++)
            {
                Assert.Equal(records[i].TimestampMs, decoded[i].TimestampMs);
                Assert.Equal(records[i].Key, decoded[i].Key);
                Assert.Equal(records[i].Value, decoded[i].Value);
            }
        });
    }

    [Fact]
    public void Create_OneRecord_BigEndianLayout()
    {
        var bytes = Encode(0x0102, [new BufferedKafkaRecord(7, null, [0xAB])]);
        byte[] expected =
        [
            1, 0, 0, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 1,
            0, 0, 0, 0, 0, 0, 0, 7, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1, 0xAB,
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Decode_TruncatedOrExtendedOrWrongVersion_InvalidData()
    {
        Gen.Select(Gen.Long[0, 1000], Records.Where(r => r.Length > 0)).Sample((checkpointId, records) =>
        {
            var bytes = Encode(checkpointId, records);
            Assert.Throws<InvalidDataException>(() => KafkaCommittable.Decode(bytes.AsSpan(0, bytes.Length - 1), out _));
            Assert.Throws<InvalidDataException>(() => KafkaCommittable.Decode([.. bytes, 0], out _));
            bytes[0] = 2;
            Assert.Throws<InvalidDataException>(() => KafkaCommittable.Decode(bytes, out _));
        });
    }

    private static byte[] Encode(long checkpointId, BufferedKafkaRecord[] records)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var record in records)
        {
            KafkaCommittable.AppendRecord(buffer, record.TimestampMs, record.Key, record.Key is not null, record.Value, record.Value is not null);
        }

        return KafkaCommittable.Create(checkpointId, records.Length, buffer.WrittenSpan);
    }
}
