using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.DescribeConfigs;

public class DescribeConfigsResponseTests
{
    private MessageContract<DescribeConfigsResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<DescribeConfigsResponse> Generate(short version) =>
        Gen.Select(
            Gen.Int,
            Gens.ArrayOf(AnyDescribeConfigsResult(version)),
            (throttleTimeMs, results) => new DescribeConfigsResponse
            {
                ThrottleTimeMs = throttleTimeMs,
                Results = results,
            });

    private static Gen<DescribeConfigsResult> AnyDescribeConfigsResult(short version) =>
        Gen.Select(
            Gen.Short,
            Gens.NullableString,
            Gen.SByte,
            Gens.String,
            Gens.ArrayOf(AnyDescribeConfigsResourceResult(version)),
            (errorCode, errorMessage, resourceType, resourceName, configs) => new DescribeConfigsResult
            {
                ErrorCode = errorCode,
                ErrorMessage = errorMessage,
                ResourceType = resourceType,
                ResourceName = resourceName,
                Configs = configs,
            });

    private static Gen<DescribeConfigsResourceResult> AnyDescribeConfigsResourceResult(short version) =>
        from name in Gens.String
        from value in Gens.NullableString
        from readOnly in Gen.Bool
        from isDefault in version == 0 ? Gen.Bool : Gen.Const(false)
        from configSource in Gens.Since(version, 1, Gen.SByte, (sbyte)-1)
        from isSensitive in Gen.Bool
        from synonyms in Gens.Since(version, 1, Gens.ArrayOf(AnyDescribeConfigsSynonym(version)), Array.Empty<DescribeConfigsSynonym>())
        from configType in Gens.Since(version, 3, Gen.SByte, (sbyte)0)
        from documentation in Gens.Since(version, 3, Gens.NullableString, "")
        select new DescribeConfigsResourceResult
        {
            Name = name,
            Value = value,
            ReadOnly = readOnly,
            IsDefault = isDefault,
            ConfigSource = configSource,
            IsSensitive = isSensitive,
            Synonyms = synonyms,
            ConfigType = configType,
            Documentation = documentation,
        };

    private static Gen<DescribeConfigsSynonym> AnyDescribeConfigsSynonym(short version) =>
        Gen.Select(
            Gens.String,
            Gens.NullableString,
            Gen.SByte,
            (name, value, source) => new DescribeConfigsSynonym { Name = name, Value = value, Source = source });
}
