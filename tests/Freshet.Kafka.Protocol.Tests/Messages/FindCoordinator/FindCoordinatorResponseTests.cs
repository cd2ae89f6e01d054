using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.FindCoordinator;

public class FindCoordinatorResponseTests : MessageContractTests<FindCoordinatorResponse>
{
    protected override Gen<FindCoordinatorResponse> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 1, Gen.Int, 0),
            Gen.Short,
            Gens.Since(version, 1, Gens.NullableString, null),
            Gen.Int,
            Gens.String,
            Gen.Int,
            (throttle, error, message, node, host, port) => new FindCoordinatorResponse
            {
                ThrottleTimeMs = throttle,
                ErrorCode = error,
                ErrorMessage = message,
                NodeId = node,
                Host = host,
                Port = port,
            });
}
