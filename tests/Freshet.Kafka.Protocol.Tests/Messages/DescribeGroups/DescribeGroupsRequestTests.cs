using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.DescribeGroups;

public class DescribeGroupsRequestTests
{
    private MessageContract<DescribeGroupsRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<DescribeGroupsRequest> Generate(short version) =>
        Gen.Select(
            Gens.ArrayOf(Gens.String),
            Gens.Since(version, 3, Gen.Bool, false),
            (groups, includeAuthorizedOperations) => new DescribeGroupsRequest
            {
                Groups = groups,
                IncludeAuthorizedOperations = includeAuthorizedOperations,
            });
}
