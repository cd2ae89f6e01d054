using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.OffsetCommit;

public class OffsetCommitRequestTests
{
    private MessageContract<OffsetCommitRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<OffsetCommitRequest> Generate(short version) =>
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
