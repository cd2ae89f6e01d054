using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.Heartbeat;

public class HeartbeatResponseTests : MessageContractTests<HeartbeatResponse>
{
    protected override Gen<HeartbeatResponse> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 1, Gen.Int, 0),
            Gen.Short,
            (throttleTimeMs, errorCode) => new HeartbeatResponse
            {
                ThrottleTimeMs = throttleTimeMs,
                ErrorCode = errorCode,
            });
}
