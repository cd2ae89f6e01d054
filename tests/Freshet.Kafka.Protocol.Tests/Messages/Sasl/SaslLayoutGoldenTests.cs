using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.Sasl;

/// <summary>SASL and SCRAM credential bodies built byte by byte from Kafka's message definitions.</summary>
public class SaslLayoutGoldenTests
{
    [Fact]
    public void SaslHandshakeRequest_V1_MatchesSpecBytes()
    {
        // Mechanism "PLAIN" (int16 length)
        byte[] expected = [0x00, 0x05, .. "PLAIN"u8];
        Assert.Equal(expected, Codec.Encode(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1));
        Assert.Equal("PLAIN", Codec.Decode<SaslHandshakeRequest>(expected, 1).Mechanism);
    }

    [Fact]
    public void SaslHandshakeResponse_V1_MatchesSpecBytes()
    {
        // ErrorCode 33 | Mechanisms: 1 × "PLAIN"
        byte[] expected = [0x00, 0x21, 0x00, 0x00, 0x00, 0x01, 0x00, 0x05, .. "PLAIN"u8];
        Assert.Equal(expected, Codec.Encode(new SaslHandshakeResponse { ErrorCode = 33, Mechanisms = ["PLAIN"] }, 1));
    }

    [Fact]
    public void SaslAuthenticateRequest_V2Flexible_MatchesSpecBytes()
    {
        // AuthBytes compact (length + 1 = 4) "abc" | no tagged fields
        byte[] expected = [0x04, .. "abc"u8, 0x00];
        Assert.Equal(expected, Codec.Encode(new SaslAuthenticateRequest { AuthBytes = "abc"u8.ToArray() }, 2));
        Assert.Equal("abc"u8.ToArray(), Codec.Decode<SaslAuthenticateRequest>(expected, 2).AuthBytes);
    }

    [Fact]
    public void SaslAuthenticateResponse_V1_CarriesSessionLifetime()
    {
        // ErrorCode 0 | ErrorMessage null (int16 -1) | AuthBytes (int32 length 1) "v" | SessionLifetimeMs 60000
        byte[] expected = [0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01, (byte)'v', 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xEA, 0x60];
        Assert.Equal(expected, Codec.Encode(new SaslAuthenticateResponse { AuthBytes = "v"u8.ToArray(), SessionLifetimeMs = 60_000 }, 1));
        Assert.Equal(60_000, Codec.Decode<SaslAuthenticateResponse>(expected, 1).SessionLifetimeMs);
    }

    [Fact]
    public void AlterUserScramCredentialsRequest_V0_MatchesSpecBytes()
    {
        // Deletions: compact 1 × (Name "a", Mechanism 2, tags) | Upsertions: compact 1 × (Name "b", Mechanism 1,
        // Iterations 4096, Salt [1], SaltedPassword [2, 3], tags) | tags
        byte[] expected =
        [
            0x02, 0x02, (byte)'a', 0x02, 0x00,
            0x02, 0x02, (byte)'b', 0x01, 0x00, 0x00, 0x10, 0x00, 0x02, 0x01, 0x03, 0x02, 0x03, 0x00,
            0x00,
        ];
        var request = new AlterUserScramCredentialsRequest
        {
            Deletions = [new ScramCredentialDeletion { Name = "a", Mechanism = 2 }],
            Upsertions = [new ScramCredentialUpsertion { Name = "b", Mechanism = 1, Iterations = 4096, Salt = [1], SaltedPassword = [2, 3] }],
        };
        Assert.Equal(expected, Codec.Encode(request, 0));
    }

    [Fact]
    public void DescribeUserScramCredentialsRequest_V0NullUsers_MatchesSpecBytes()
    {
        // Users: compact null (0) | tags
        byte[] expected = [0x00, 0x00];
        Assert.Equal(expected, Codec.Encode(new DescribeUserScramCredentialsRequest { Users = null }, 0));
        Assert.Null(Codec.Decode<DescribeUserScramCredentialsRequest>(expected, 0).Users);
    }
}
