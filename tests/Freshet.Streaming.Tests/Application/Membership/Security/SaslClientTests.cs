using System.Text;
using Freshet.Streaming.Application.Membership.Security;

namespace Freshet.Streaming.Tests.Application.Membership.Security;

/// <summary>The group member's SASL client against published exchanges and broken servers.</summary>
public sealed class SaslClientTests
{
    /// <summary>RFC 7677 section 3: the SCRAM-SHA-256 exchange of user "user" with password "pencil".</summary>
    [Fact]
    public void ScramSha256_ProducesRfc7677sExchange()
    {
        var client = SaslClient.Create("SCRAM-SHA-256", "user", "pencil", clientNonce: "rOprNGfwEbeRWgbNEkqO");

        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", Encoding.UTF8.GetString(client.FirstMessage()));
        var final = client.Respond(Encoding.UTF8.GetBytes("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        Assert.Equal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", Encoding.UTF8.GetString(final!));
        Assert.Null(client.Respond(Encoding.UTF8.GetBytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
    }

    [Fact]
    public void Scram_RefusesAServerThatCannotProveItKnowsThePassword()
    {
        var client = SaslClient.Create("SCRAM-SHA-256", "user", "pencil", clientNonce: "rOprNGfwEbeRWgbNEkqO");
        client.FirstMessage();
        client.Respond(Encoding.UTF8.GetBytes("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));

        var refused = Assert.Throws<KafkaAuthenticationException>(() => client.Respond(Encoding.UTF8.GetBytes("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
        Assert.Contains("does not prove", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("r=someoneElsesNonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOxyz,s=not base64!,i=4096")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=zero")]
    [InlineData("e=invalid-proof")]
    [InlineData("")]
    public void Scram_RefusesAMalformedOrFailingServerFirstMessage(string serverFirst)
    {
        var client = SaslClient.Create("SCRAM-SHA-512", "user", "pencil", clientNonce: "rOprNGfwEbeRWgbNEkqO");
        client.FirstMessage();

        Assert.Throws<KafkaAuthenticationException>(() => client.Respond(Encoding.UTF8.GetBytes(serverFirst)));
    }

    [Fact]
    public void Scram_EscapesCommasAndEqualsSignsInTheUserName()
    {
        var client = SaslClient.Create("SCRAM-SHA-256", "a,b=c", "pw", clientNonce: "nonce");

        Assert.Equal("n,,n=a=2Cb=3Dc,r=nonce", Encoding.UTF8.GetString(client.FirstMessage()));
    }

    [Fact]
    public void Plain_SendsTheUserAndPasswordOnce()
    {
        var client = SaslClient.Create("PLAIN", "alice", "secret");

        Assert.Equal("\0alice\0secret", Encoding.UTF8.GetString(client.FirstMessage()));
        Assert.Null(client.Respond([]));
    }
}
