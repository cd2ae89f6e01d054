using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.OffsetCommit;

public class OffsetCommitRequestTests : MessageContractTests<OffsetCommitRequest>
{
    protected override Gen<OffsetCommitRequest> Generate(short version) =>
        Gen.Select(
            Gens.String,
            Gens.Since(version, 1, Gen.Int, -1),
            Gens.Since(version, 1, Gens.String, ""),
            Gens.Since(version, 7, Gens.NullableString, (string?)null),
            version is >= 2 and <= 4 ? Gen.Long : Gen.Const(-1L),
            Gens.ArrayOf(AnyOffsetCommitRequestTopic(version)),
            (groupId, generationIdOrMemberEpoch, memberId, groupInstanceId, retentionTimeMs, topics) => new OffsetCommitRequest
            {
                GroupId = groupId,
                GenerationIdOrMemberEpoch = generationIdOrMemberEpoch,
                MemberId = memberId,
                GroupInstanceId = groupInstanceId,
                RetentionTimeMs = retentionTimeMs,
                Topics = topics,
            });

    private static Gen<OffsetCommitRequestTopic> AnyOffsetCommitRequestTopic(short version) =>
        Gen.Select(
            Gens.String,
            Gens.ArrayOf(AnyOffsetCommitRequestPartition(version)),
            (name, partitions) => new OffsetCommitRequestTopic { Name = name, Partitions = partitions });

    private static Gen<OffsetCommitRequestPartition> AnyOffsetCommitRequestPartition(short version) =>
        Gen.Select(
            Gen.Int,
            Gen.Long,
            Gens.Since(version, 6, Gen.Int, -1),
            version == 1 ? Gen.Long : Gen.Const(-1L),
            Gens.NullableString,
            (partitionIndex, committedOffset, committedLeaderEpoch, commitTimestamp, committedMetadata) => new OffsetCommitRequestPartition
            {
                CommitTimestamp = commitTimestamp,
                PartitionIndex = partitionIndex,
                CommittedOffset = committedOffset,
                CommittedLeaderEpoch = committedLeaderEpoch,
                CommittedMetadata = committedMetadata,
            });
}
