using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.ListGroups;

public class ListGroupsRequestTests
{
    private MessageContract<ListGroupsRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<ListGroupsRequest> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 4, Gens.ArrayOf(Gens.String), Array.Empty<string>()),
            Gens.Since(version, 5, Gens.ArrayOf(Gens.String), Array.Empty<string>()),
            (statesFilter, typesFilter) => new ListGroupsRequest
            {
                StatesFilter = statesFilter,
                TypesFilter = typesFilter,
            });
}
