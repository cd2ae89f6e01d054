using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.Heartbeat;

public class HeartbeatRequestTests
{
    private MessageContract<HeartbeatRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<HeartbeatRequest> Generate(short version) =>
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
