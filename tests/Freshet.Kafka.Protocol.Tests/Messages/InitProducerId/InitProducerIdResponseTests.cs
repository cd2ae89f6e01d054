using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.InitProducerId;

public class InitProducerIdResponseTests
{
    private MessageContract<InitProducerIdResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<InitProducerIdResponse> Generate(short version) =>
        Gen.Select(Gen.Int, Gen.Short, Gen.Long, Gen.Short, (throttle, error, pid, epoch) =>
            new InitProducerIdResponse { ThrottleTimeMs = throttle, ErrorCode = error, ProducerId = pid, ProducerEpoch = epoch });
}
