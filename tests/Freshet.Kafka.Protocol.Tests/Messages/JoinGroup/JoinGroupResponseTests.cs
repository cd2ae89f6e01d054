using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.JoinGroup;

public class JoinGroupResponseTests
{
    private MessageContract<JoinGroupResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<JoinGroupResponse> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 2, Gen.Int, 0),
            Gen.Short,
            Gen.Int,
            Gens.String,
            Gens.String,
            Gens.String,
            Gens.ArrayOf(AnyJoinGroupResponseMember(version)),
            (throttleTimeMs, errorCode, generationId, protocolName, leader, memberId, members) => new JoinGroupResponse
            {
                ThrottleTimeMs = throttleTimeMs,
                ErrorCode = errorCode,
                GenerationId = generationId,
                ProtocolName = protocolName,
                Leader = leader,
                MemberId = memberId,
                Members = members,
            });

    private static Gen<JoinGroupResponseMember> AnyJoinGroupResponseMember(short version) =>
        Gen.Select(
            Gens.String,
            Gens.Since(version, 5, Gens.NullableString, (string?)null),
            Gens.Bytes,
            (memberId, groupInstanceId, metadata) => new JoinGroupResponseMember
            {
                MemberId = memberId,
                GroupInstanceId = groupInstanceId,
                Metadata = metadata,
            });
}
