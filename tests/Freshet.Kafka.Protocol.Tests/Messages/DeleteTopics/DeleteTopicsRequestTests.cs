using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.DeleteTopics;

public class DeleteTopicsRequestTests : MessageContractTests<DeleteTopicsRequest>
{
    protected override Gen<DeleteTopicsRequest> Generate(short version) =>
        Gen.Select(
            Gens.ArrayOf(Gens.String),
            Gen.Int,
            (topicNames, timeoutMs) => new DeleteTopicsRequest { TopicNames = topicNames, TimeoutMs = timeoutMs });
}
