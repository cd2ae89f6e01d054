using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.DescribeConfigs;

public class DescribeConfigsRequestTests
{
    private MessageContract<DescribeConfigsRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<DescribeConfigsRequest> Generate(short version) =>
        Gen.Select(
            Gens.ArrayOf(AnyDescribeConfigsResource(version)),
            Gens.Since(version, 1, Gen.Bool, false),
            Gens.Since(version, 3, Gen.Bool, false),
            (resources, includeSynonyms, includeDocumentation) => new DescribeConfigsRequest
            {
                Resources = resources,
                IncludeSynonyms = includeSynonyms,
                IncludeDocumentation = includeDocumentation,
            });

    private static Gen<DescribeConfigsResource> AnyDescribeConfigsResource(short version) =>
        Gen.Select(
            Gen.SByte,
            Gens.String,
            Gens.ArrayOf(Gens.String).Null(0.2),
            (resourceType, resourceName, configurationKeys) => new DescribeConfigsResource
            {
                ResourceType = resourceType,
                ResourceName = resourceName,
                ConfigurationKeys = configurationKeys,
            });
}
