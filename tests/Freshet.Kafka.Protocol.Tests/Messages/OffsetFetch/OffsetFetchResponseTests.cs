using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.OffsetFetch;

public class OffsetFetchResponseTests
{
    private MessageContract<OffsetFetchResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<OffsetFetchResponse> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 3, Gen.Int, 0),
            Gens.ArrayOf(AnyOffsetFetchResponseTopic(version)),
            Gens.Since(version, 2, Gen.Short, (short)0),
            (throttleTimeMs, topics, errorCode) => new OffsetFetchResponse
            {
                ThrottleTimeMs = throttleTimeMs,
                Topics = topics,
                ErrorCode = errorCode,
            });

    private static Gen<OffsetFetchResponseTopic> AnyOffsetFetchResponseTopic(short version) =>
        Gen.Select(
            Gens.String,
            Gens.ArrayOf(AnyOffsetFetchResponsePartition(version)),
            (name, partitions) => new OffsetFetchResponseTopic { Name = name, Partitions = partitions });

    private static Gen<OffsetFetchResponsePartition> AnyOffsetFetchResponsePartition(short version) =>
        Gen.Select(
            Gen.Int,
            Gen.Long,
            Gens.Since(version, 5, Gen.Int, -1),
            Gens.NullableString,
            Gen.Short,
            (partitionIndex, committedOffset, committedLeaderEpoch, metadata, errorCode) => new OffsetFetchResponsePartition
            {
                PartitionIndex = partitionIndex,
                CommittedOffset = committedOffset,
                CommittedLeaderEpoch = committedLeaderEpoch,
                Metadata = metadata,
                ErrorCode = errorCode,
            });
}
