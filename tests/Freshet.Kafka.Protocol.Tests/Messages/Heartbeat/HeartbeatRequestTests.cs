using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.Heartbeat;

public class HeartbeatRequestTests : MessageContractTests<HeartbeatRequest>
{
    protected override Gen<HeartbeatRequest> Generate(short version) =>
        Gen.Select(
            Gens.String,
            Gen.Int,
            Gens.String,
            Gens.Since(version, 3, Gens.NullableString, (string?)null),
            (groupId, generationId, memberId, groupInstanceId) => new HeartbeatRequest
            {
                GroupId = groupId,
                GenerationId = generationId,
                MemberId = memberId,
                GroupInstanceId = groupInstanceId,
            });
}
