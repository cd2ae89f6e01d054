using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.OffsetCommit;

public class OffsetCommitResponseTests
{
    private MessageContract<OffsetCommitResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<OffsetCommitResponse> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 3, Gen.Int, 0),
            Gens.ArrayOf(AnyOffsetCommitResponseTopic(version)),
            (throttleTimeMs, topics) => new OffsetCommitResponse { ThrottleTimeMs = throttleTimeMs, Topics = topics });

    private static Gen<OffsetCommitResponseTopic> AnyOffsetCommitResponseTopic(short version) =>
        Gen.Select(
            Gens.String,
            Gens.ArrayOf(AnyOffsetCommitResponsePartition(version)),
            (name, partitions) => new OffsetCommitResponseTopic { Name = name, Partitions = partitions });

    private static Gen<OffsetCommitResponsePartition> AnyOffsetCommitResponsePartition(short version) =>
        Gen.Select(
            Gen.Int,
            Gen.Short,
            (partitionIndex, errorCode) => new OffsetCommitResponsePartition
            {
                PartitionIndex = partitionIndex,
                ErrorCode = errorCode,
            });
}
