using System.Runtime.InteropServices;
using CsCheck;
using Freshet.Kafka.Protocol.Framing;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.Produce;

public class ProduceRequestTests
{
    private MessageContract<ProduceRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private static readonly Gen<PartitionProduceData> Partition = Gen.Select(Gen.Int, Gens.Records, (index, records) =>
        new PartitionProduceData { Index = index, Records = records });

    private static readonly Gen<TopicProduceData> Topic = Gen.Select(Gens.String, Gens.ArrayOf(Partition), (name, partitions) =>
        new TopicProduceData { Name = name, PartitionData = partitions });

    private Gen<ProduceRequest> Generate(short version) =>
        Gen.Select(Gens.NullableString, Gen.OneOf<short>(0, 1, -1), Gen.Int, Gens.ArrayOf(Topic), (txn, acks, timeout, topics) =>
            new ProduceRequest { TransactionalId = txn, Acks = acks, TimeoutMs = timeout, TopicData = topics });

    private static byte[] ProduceV9Payload(byte[] batch) =>
    [
        0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x05,  // Produce v9, correlation 5
        0x00, 0x07, .. "rdkafka"u8,                      // client id (classic string)
        0x00,                                            // header tags
        0x00,                                            // transactional id: compact null
        0xFF, 0xFF,                                      // acks -1
        0x00, 0x00, 0x75, 0x30,                          // timeout 30000 ms
        0x02,                                            // one topic
        0x07, .. "orders"u8,
        0x02,                                            // one partition
        0x00, 0x00, 0x00, 0x03,                          // partition 3
        (byte)(batch.Length + 1), .. batch,              // compact records
        0x00,                                            // partition tags
        0x00,                                            // topic tags
        0x00,                                            // body tags
    ];

    [Fact]
    public void Read_V9AsLibrdkafkaSendsIt_DecodesAndSlicesRecords()
    {
        byte[] batch = [.. Enumerable.Range(0, 70).Select(i => (byte)i)];
        byte[] payload = ProduceV9Payload(batch);

        var reader = new KafkaReader(payload);
        var header = RequestHeader.Read(ref reader);
        Assert.Equal(ApiKeys.Produce, header.ApiKey);
        Assert.Equal(9, header.ApiVersion);
        Assert.Equal("rdkafka", header.ClientId);
        var request = ProduceRequest.Read(ref reader, header.ApiVersion);
        Assert.True(reader.IsAtEnd);

        Assert.Null(request.TransactionalId);
        Assert.Equal(-1, request.Acks);
        Assert.Equal(30000, request.TimeoutMs);
        var topic = Assert.Single(request.TopicData);
        Assert.Equal("orders", topic.Name);
        var partition = Assert.Single(topic.PartitionData);
        Assert.Equal(3, partition.Index);
        Assert.NotNull(partition.Records);
        Assert.Equal(batch, partition.Records.Value.ToArray());

        Assert.True(MemoryMarshal.TryGetArray(partition.Records.Value, out var segment));
        Assert.Same(payload, segment.Array);
        Assert.Equal(payload.Length - 3 - batch.Length, segment.Offset);
    }

    [Fact]
    public void Read_V9RecordsLengthPastEnd_ThrowsNamingRecords()
    {
        byte[] payload = ProduceV9Payload(new byte[10]);
        var truncated = payload.AsMemory(0, payload.Length - 8);
        var error = Assert.Throws<KafkaProtocolException>(() =>
        {
            var reader = new KafkaReader(truncated);
            _ = RequestHeader.Read(ref reader);
            _ = ProduceRequest.Read(ref reader, 9);
        });
        Assert.Equal("Records", error.Field);
    }

    [Fact]
    public void Write_V3_UsesClassicEncodings()
    {
        var request = new ProduceRequest
        {
            TransactionalId = null,
            Acks = 1,
            TimeoutMs = 1000,
            TopicData = [new TopicProduceData { Name = "t", PartitionData = [new PartitionProduceData { Index = 0, Records = new byte[] { 0xAB } }] }],
        };
        byte[] expected =
        [
            0xFF, 0xFF, 0x00, 0x01, 0x00, 0x00, 0x03, 0xE8,
            0, 0, 0, 1, 0, 1, (byte)'t',
            0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xAB,
        ];
        Assert.Equal(expected, Codec.Encode(request, 3));
    }
}
