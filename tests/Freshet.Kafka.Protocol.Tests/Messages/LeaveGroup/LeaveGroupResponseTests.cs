using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.LeaveGroup;

public class LeaveGroupResponseTests
{
    private MessageContract<LeaveGroupResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<LeaveGroupResponse> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 1, Gen.Int, 0),
            Gen.Short,
            Gens.Since(version, 3, Gens.ArrayOf(AnyLeaveGroupResponseMember(version)), Array.Empty<LeaveGroupResponseMember>()),
            (throttleTimeMs, errorCode, members) => new LeaveGroupResponse
            {
                ThrottleTimeMs = throttleTimeMs,
                ErrorCode = errorCode,
                Members = members,
            });

    private static Gen<LeaveGroupResponseMember> AnyLeaveGroupResponseMember(short version) =>
        Gen.Select(
            Gens.String,
            Gens.NullableString,
            Gen.Short,
            (memberId, groupInstanceId, errorCode) => new LeaveGroupResponseMember
            {
                MemberId = memberId,
                GroupInstanceId = groupInstanceId,
                ErrorCode = errorCode,
            });
}
