using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.CreateTopics;

public class CreateTopicsResponseTests
{
    private MessageContract<CreateTopicsResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<CreateTopicsResponse> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 2, Gen.Int, 0),
            Gens.ArrayOf(AnyCreatableTopicResult(version)),
            (throttleTimeMs, topics) => new CreateTopicsResponse { ThrottleTimeMs = throttleTimeMs, Topics = topics });

    private static Gen<CreatableTopicResult> AnyCreatableTopicResult(short version) =>
        Gen.Select(
            Gens.String,
            Gen.Short,
            Gens.Since(version, 1, Gens.NullableString, ""),
            (name, errorCode, errorMessage) => new CreatableTopicResult
            {
                Name = name,
                ErrorCode = errorCode,
                ErrorMessage = errorMessage,
            });
}
