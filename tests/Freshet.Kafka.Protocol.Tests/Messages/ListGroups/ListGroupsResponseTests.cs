using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.ListGroups;

public class ListGroupsResponseTests
{
    private MessageContract<ListGroupsResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<ListGroupsResponse> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 1, Gen.Int, 0),
            Gen.Short,
            Gens.ArrayOf(AnyListedGroup(version)),
            (throttleTimeMs, errorCode, groups) => new ListGroupsResponse
            {
                ThrottleTimeMs = throttleTimeMs,
                ErrorCode = errorCode,
                Groups = groups,
            });

    private static Gen<ListedGroup> AnyListedGroup(short version) =>
        Gen.Select(
            Gens.String,
            Gens.String,
            Gens.Since(version, 4, Gens.String, ""),
            Gens.Since(version, 5, Gens.String, ""),
            (groupId, protocolType, groupState, groupType) => new ListedGroup
            {
                GroupId = groupId,
                ProtocolType = protocolType,
                GroupState = groupState,
                GroupType = groupType,
            });
}
