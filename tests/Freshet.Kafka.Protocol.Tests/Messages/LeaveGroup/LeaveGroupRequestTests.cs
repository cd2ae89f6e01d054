using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.LeaveGroup;

public class LeaveGroupRequestTests
{
    private MessageContract<LeaveGroupRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<LeaveGroupRequest> Generate(short version) =>
        Gen.Select(
            Gens.String,
            version <= 2 ? Gens.String : Gen.Const(""),
            Gens.Since(version, 3, Gens.ArrayOf(AnyLeaveGroupRequestMember(version)), Array.Empty<LeaveGroupRequestMember>()),
            (groupId, memberId, members) => new LeaveGroupRequest
            {
                GroupId = groupId,
                MemberId = memberId,
                Members = members,
            });

    private static Gen<LeaveGroupRequestMember> AnyLeaveGroupRequestMember(short version) =>
        Gen.Select(
            Gens.String,
            Gens.NullableString,
            (memberId, groupInstanceId) => new LeaveGroupRequestMember
            {
                MemberId = memberId,
                GroupInstanceId = groupInstanceId,
            });
}
