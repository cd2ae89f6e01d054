using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.DescribeGroups;

public class DescribeGroupsRequestTests : MessageContractTests<DescribeGroupsRequest>
{
    protected override Gen<DescribeGroupsRequest> Generate(short version) =>
        Gen.Select(
            Gens.ArrayOf(Gens.String),
            Gens.Since(version, 3, Gen.Bool, false),
            (groups, includeAuthorizedOperations) => new DescribeGroupsRequest
            {
                Groups = groups,
                IncludeAuthorizedOperations = includeAuthorizedOperations,
            });
}
