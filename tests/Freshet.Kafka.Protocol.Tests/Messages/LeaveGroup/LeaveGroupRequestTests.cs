using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.LeaveGroup;

public class LeaveGroupRequestTests : MessageContractTests<LeaveGroupRequest>
{
    protected override Gen<LeaveGroupRequest> Generate(short version) =>
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
