using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.DescribeGroups;

public class DescribeGroupsResponseTests
{
    private MessageContract<DescribeGroupsResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<DescribeGroupsResponse> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 1, Gen.Int, 0),
            Gens.ArrayOf(AnyDescribedGroup(version)),
            (throttleTimeMs, groups) => new DescribeGroupsResponse { ThrottleTimeMs = throttleTimeMs, Groups = groups });

    private static Gen<DescribedGroup> AnyDescribedGroup(short version) =>
        Gen.Select(
            Gen.Short,
            Gens.String,
            Gens.String,
            Gens.String,
            Gens.String,
            Gens.ArrayOf(AnyDescribedGroupMember(version)),
            Gens.Since(version, 3, Gen.Int, int.MinValue),
            (errorCode, groupId, groupState, protocolType, protocolData, members, authorizedOperations) => new DescribedGroup
            {
                ErrorCode = errorCode,
                GroupId = groupId,
                GroupState = groupState,
                ProtocolType = protocolType,
                ProtocolData = protocolData,
                Members = members,
                AuthorizedOperations = authorizedOperations,
            });

    private static Gen<DescribedGroupMember> AnyDescribedGroupMember(short version) =>
        Gen.Select(
            Gens.String,
            Gens.Since(version, 4, Gens.NullableString, (string?)null),
            Gens.String,
            Gens.String,
            Gens.Bytes,
            Gens.Bytes,
            (memberId, groupInstanceId, clientId, clientHost, memberMetadata, memberAssignment) => new DescribedGroupMember
            {
                MemberId = memberId,
                GroupInstanceId = groupInstanceId,
                ClientId = clientId,
                ClientHost = clientHost,
                MemberMetadata = memberMetadata,
                MemberAssignment = memberAssignment,
            });
}
