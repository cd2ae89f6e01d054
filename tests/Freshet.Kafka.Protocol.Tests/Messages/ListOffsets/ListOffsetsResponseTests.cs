using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.ListOffsets;

public class ListOffsetsResponseTests
{
    private MessageContract<ListOffsetsResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private static Gen<ListOffsetsPartitionResponse> Partition(short version) =>
        Gen.Select(
            Gen.Int,
            Gen.Short,
            version == 0 ? Gens.Int64s : Gen.Const(Array.Empty<long>()),
            Gens.Since(version, 1, Gen.Long, -1L),
            Gens.Since(version, 1, Gen.Long, -1L),
            Gens.Since(version, 4, Gen.Int, -1),
            (index, error, oldStyleOffsets, timestamp, offset, epoch) => new ListOffsetsPartitionResponse
            {
                PartitionIndex = index,
                ErrorCode = error,
                OldStyleOffsets = oldStyleOffsets,
                Timestamp = timestamp,
                Offset = offset,
                LeaderEpoch = epoch,
            });

    private Gen<ListOffsetsResponse> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 2, Gen.Int, 0),
            Gens.ArrayOf(Gen.Select(Gens.String, Gens.ArrayOf(Partition(version)), (name, partitions) =>
                new ListOffsetsTopicResponse { Name = name, Partitions = partitions })),
            (throttle, topics) => new ListOffsetsResponse { ThrottleTimeMs = throttle, Topics = topics });
}
