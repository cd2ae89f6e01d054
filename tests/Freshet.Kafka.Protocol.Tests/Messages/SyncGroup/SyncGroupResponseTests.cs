using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.SyncGroup;

public class SyncGroupResponseTests : MessageContractTests<SyncGroupResponse>
{
    protected override Gen<SyncGroupResponse> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 1, Gen.Int, 0),
            Gen.Short,
            Gens.Bytes,
            (throttleTimeMs, errorCode, assignment) => new SyncGroupResponse
            {
                ThrottleTimeMs = throttleTimeMs,
                ErrorCode = errorCode,
                Assignment = assignment,
            });
}
