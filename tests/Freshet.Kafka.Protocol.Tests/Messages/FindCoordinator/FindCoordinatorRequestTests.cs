using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.FindCoordinator;

public class FindCoordinatorRequestTests
{
    private MessageContract<FindCoordinatorRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<FindCoordinatorRequest> Generate(short version) =>
        Gen.Select(Gens.String, Gens.Since(version, 1, Gen.SByte, (sbyte)0), (key, type) => new FindCoordinatorRequest { Key = key, KeyType = type });

    [Fact]
    public void Read_V2GroupKey_DecodesClassicLayout()
    {
        var request = Codec.Decode<FindCoordinatorRequest>(new byte[] { 0x00, 0x02, (byte)'g', (byte)'1', 0x00 }, 2);
        Assert.Equal("g1", request.Key);
        Assert.Equal(FindCoordinatorRequest.GroupKeyType, request.KeyType);
    }
}
