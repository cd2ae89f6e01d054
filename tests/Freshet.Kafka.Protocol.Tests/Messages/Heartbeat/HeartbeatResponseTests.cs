using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.Heartbeat;

public class HeartbeatResponseTests
{
    private MessageContract<HeartbeatResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<HeartbeatResponse> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 1, Gen.Int, 0),
            Gen.Short,
            (throttleTimeMs, errorCode) => new HeartbeatResponse
            {
                ThrottleTimeMs = throttleTimeMs,
                ErrorCode = errorCode,
            });
}
