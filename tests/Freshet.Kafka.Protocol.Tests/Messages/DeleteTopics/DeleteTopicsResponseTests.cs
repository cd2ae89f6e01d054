using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.DeleteTopics;

public class DeleteTopicsResponseTests : MessageContractTests<DeleteTopicsResponse>
{
    protected override Gen<DeleteTopicsResponse> Generate(short version) =>
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
