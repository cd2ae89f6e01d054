using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.InitProducerId;

public class InitProducerIdRequestTests
{
    private MessageContract<InitProducerIdRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<InitProducerIdRequest> Generate(short version) =>
        Gen.Select(
            Gens.NullableString,
            Gen.Int,
            Gens.Since(version, 3, Gen.Long, -1L),
            Gens.Since(version, 3, Gen.Short, (short)-1),
            (txn, timeout, pid, epoch) => new InitProducerIdRequest
            {
                TransactionalId = txn,
                TransactionTimeoutMs = timeout,
                ProducerId = pid,
                ProducerEpoch = epoch,
            });

    [Fact]
    public void Read_V4IdempotentProducer_DecodesNullTransactionalId()
    {
        byte[] body = [0x00, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00];
        var request = Codec.Decode<InitProducerIdRequest>(body, 4);
        Assert.Null(request.TransactionalId);
        Assert.Equal(int.MaxValue, request.TransactionTimeoutMs);
        Assert.Equal(-1, request.ProducerId);
        Assert.Equal(-1, request.ProducerEpoch);
    }
}
