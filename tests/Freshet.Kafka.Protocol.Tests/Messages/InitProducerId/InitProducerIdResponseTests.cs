using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.InitProducerId;

public class InitProducerIdResponseTests : MessageContractTests<InitProducerIdResponse>
{
    protected override Gen<InitProducerIdResponse> Generate(short version) =>
        Gen.Select(Gen.Int, Gen.Short, Gen.Long, Gen.Short, (throttle, error, pid, epoch) =>
            new InitProducerIdResponse { ThrottleTimeMs = throttle, ErrorCode = error, ProducerId = pid, ProducerEpoch = epoch });
}
