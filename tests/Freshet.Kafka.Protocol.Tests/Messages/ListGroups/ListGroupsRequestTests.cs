using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.ListGroups;

public class ListGroupsRequestTests : MessageContractTests<ListGroupsRequest>
{
    protected override Gen<ListGroupsRequest> Generate(short version) =>
        Gens.Since(version, 4, Gens.ArrayOf(Gens.String), Array.Empty<string>()).Select(statesFilter => new ListGroupsRequest
        {
            StatesFilter = statesFilter,
        });
}
