using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.OffsetCommit;

public class OffsetCommitResponseTests : MessageContractTests<OffsetCommitResponse>
{
    protected override Gen<OffsetCommitResponse> Generate(short version) =>
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
