using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.FindCoordinator;

public class FindCoordinatorRequestTests : MessageContractTests<FindCoordinatorRequest>
{
    protected override Gen<FindCoordinatorRequest> Generate(short version) =>
        Gen.Select(Gens.String, Gens.Since(version, 1, Gen.SByte, (sbyte)0), (key, type) => new FindCoordinatorRequest { Key = key, KeyType = type });

    [Fact]
    public void Read_V2GroupKey_DecodesClassicLayout()
    {
        var request = Codec.Decode<FindCoordinatorRequest>(new byte[] { 0x00, 0x02, (byte)'g', (byte)'1', 0x00 }, 2);
        Assert.Equal("g1", request.Key);
        Assert.Equal(FindCoordinatorRequest.GroupKeyType, request.KeyType);
    }
}
