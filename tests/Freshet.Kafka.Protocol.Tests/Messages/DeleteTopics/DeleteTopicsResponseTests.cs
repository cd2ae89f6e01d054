using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.DeleteTopics;

public class DeleteTopicsResponseTests
{
    private MessageContract<DeleteTopicsResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<DeleteTopicsResponse> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 1, Gen.Int, 0),
            Gens.ArrayOf(AnyDeletableTopicResult(version)),
            (throttleTimeMs, responses) => new DeleteTopicsResponse
            {
                ThrottleTimeMs = throttleTimeMs,
                Responses = responses,
            });

    private static Gen<DeletableTopicResult> AnyDeletableTopicResult(short version) =>
        Gen.Select(
            Gens.String,
            Gen.Short,
            (name, errorCode) => new DeletableTopicResult { Name = name, ErrorCode = errorCode });
}
