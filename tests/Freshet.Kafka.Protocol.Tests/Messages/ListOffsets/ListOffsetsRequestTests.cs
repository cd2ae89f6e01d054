using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.ListOffsets;

public class ListOffsetsRequestTests
{
    private MessageContract<ListOffsetsRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private static Gen<ListOffsetsPartition> Partition(short version) =>
        Gen.Select(Gen.Int, Gens.Since(version, 4, Gen.Int, -1), Gen.OneOf(Gen.Long, Gen.Long[-3, -1]), version == 0 ? Gen.Int : Gen.Const(1), (index, epoch, timestamp, maxNumOffsets) =>
            new ListOffsetsPartition { PartitionIndex = index, CurrentLeaderEpoch = epoch, Timestamp = timestamp, MaxNumOffsets = maxNumOffsets });

    private Gen<ListOffsetsRequest> Generate(short version) =>
        Gen.Select(
            Gen.Int,
            Gens.Since(version, 2, Gen.SByte, (sbyte)0),
            Gens.ArrayOf(Gen.Select(Gens.String, Gens.ArrayOf(Partition(version)), (name, partitions) =>
                new ListOffsetsTopic { Name = name, Partitions = partitions })),
            (replica, isolation, topics) => new ListOffsetsRequest { ReplicaId = replica, IsolationLevel = isolation, Topics = topics });

    [Fact]
    public void Read_V7Latest_DecodesFlexibleLayout()
    {
        byte[] body =
        [
            0xFF, 0xFF, 0xFF, 0xFF,       // replica -1
            0x00,                         // read_uncommitted
            0x02, 0x02, (byte)'t',        // one topic "t"
            0x02, 0, 0, 0, 1,             // one partition: 1
            0xFF, 0xFF, 0xFF, 0xFF,       // current leader epoch -1
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // timestamp -1 (latest)
            0x00, 0x00, 0x00,             // partition, topic, body tags
        ];
        var request = Codec.Decode<ListOffsetsRequest>(body, 7);
        var partition = Assert.Single(Assert.Single(request.Topics).Partitions);
        Assert.Equal(1, partition.PartitionIndex);
        Assert.Equal(ListOffsetsPartition.LatestTimestamp, partition.Timestamp);
    }
}
