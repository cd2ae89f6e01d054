using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.CreatePartitions;

public class CreatePartitionsResponseTests : MessageContractTests<CreatePartitionsResponse>
{
    protected override Gen<CreatePartitionsResponse> Generate(short version) =>
        Gen.Select(
            Gen.Int,
            Gens.ArrayOf(AnyCreatePartitionsTopicResult(version)),
            (throttleTimeMs, results) => new CreatePartitionsResponse
            {
                ThrottleTimeMs = throttleTimeMs,
                Results = results,
            });

    private static Gen<CreatePartitionsTopicResult> AnyCreatePartitionsTopicResult(short version) =>
        Gen.Select(
            Gens.String,
            Gen.Short,
            Gens.NullableString,
            (name, errorCode, errorMessage) => new CreatePartitionsTopicResult
            {
                Name = name,
                ErrorCode = errorCode,
                ErrorMessage = errorMessage,
            });
}
