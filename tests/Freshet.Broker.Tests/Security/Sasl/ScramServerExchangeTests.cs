using System.Text;
using Freshet.Broker.Security.Sasl;

namespace Freshet.Broker.Tests.Security.Sasl;

/// <summary>The SCRAM server exchange against RFC 7677's SCRAM-SHA-256 example, a client written from RFC 5802, and malformed messages.</summary>
public sealed class ScramServerExchangeTests
{
    [Fact]
    public void Evaluate_Rfc7677Example_AnswersTheRfcServerMessages()
    {
        using var users = new SaslTestUsers();
        var mechanism = ScramMechanism.Sha256;
        var salt = Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ==");
        users.Store.Update(c => c[("user", mechanism.Name)] = ScramCredential.FromSaltedPassword(mechanism, salt, mechanism.SaltedPassword("pencil", salt, 4096), 4096));
        var exchange = new ScramServerExchange(users.Server, mechanism, reauthenticating: false, serverNonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");

        var first = exchange.Evaluate("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"u8);
        Assert.Equal(SaslStepKind.Challenge, first.Kind);
        Assert.Equal("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", Encoding.UTF8.GetString(first.ServerToken));

        var final = exchange.Evaluate("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="u8);
        Assert.Equal(SaslStepKind.Complete, final.Kind);
        Assert.Equal("user", final.User);
        Assert.Equal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", Encoding.UTF8.GetString(final.ServerToken));
    }

    /// <summary>
    /// librdkafka 2.0 (Debian's kcat) repeats its own nonce in the client-final message (r=CCS where the server sent
    /// r=CS); Kafka accepts a nonce that ends with the one it sent, and so does Freshet, with the proof over what was sent.
    /// </summary>
    [Fact]
    public void Evaluate_ClientFinalNonceThatEndsWithTheServerNonce_IsAcceptedAsKafkaDoes()
    {
        using var users = new SaslTestUsers();
        var mechanism = ScramMechanism.Sha256;
        var salt = Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ==");
        var saltedPassword = mechanism.SaltedPassword("pencil", salt, 4096);
        users.Store.Update(c => c[("user", mechanism.Name)] = ScramCredential.FromSaltedPassword(mechanism, salt, saltedPassword, 4096));
        var exchange = new ScramServerExchange(users.Server, mechanism, reauthenticating: false, serverNonce: "SERVER");

        var first = Encoding.UTF8.GetString(exchange.Evaluate("n,,n=user,r=CLIENT"u8).ServerToken);
        var withoutProof = "c=biws,r=CLIENTCLIENTSERVER";
        var authMessage = Encoding.UTF8.GetBytes("n=user,r=CLIENT," + first + "," + withoutProof);
        var clientKey = System.Security.Cryptography.HMACSHA256.HashData(saltedPassword, "Client Key"u8);
        var signature = System.Security.Cryptography.HMACSHA256.HashData(System.Security.Cryptography.SHA256.HashData(clientKey), authMessage);
        var proof = clientKey.Zip(signature, static (k, s) => (byte)(k ^ s)).ToArray();

        var final = exchange.Evaluate(Encoding.UTF8.GetBytes(withoutProof + ",p=" + Convert.ToBase64String(proof)));

        Assert.Equal(SaslStepKind.Complete, final.Kind);
        Assert.Equal("user", final.User);
    }

    [Theory]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-512")]
    public void Evaluate_RightPassword_CompletesAndProvesTheServer(string mechanismName)
    {
        using var users = new SaslTestUsers();
        users.Store.SetPassword("al,i=ce", mechanismName, "s3cret");
        ScramMechanism.TryFromName(mechanismName, out var mechanism);
        var client = new ScramTestClient(mechanism, "al,i=ce", "s3cret");
        var exchange = users.Server.CreateExchange(mechanismName, reauthenticating: false);

        var first = exchange.Evaluate(client.First());
        var final = exchange.Evaluate(client.Final(first.ServerToken));

        Assert.Equal(SaslStepKind.Complete, final.Kind);
        Assert.Equal("al,i=ce", final.User);
        Assert.True(client.VerifyServer(final.ServerToken));
    }

    [Fact]
    public void Evaluate_WrongPasswordAndUnknownUser_FailAlikeAtTheProof()
    {
        using var users = new SaslTestUsers();
        users.Store.SetPassword("alice", "SCRAM-SHA-256", "right");

        SaslStep Attempt(string user, string password)
        {
            var client = new ScramTestClient(ScramMechanism.Sha256, user, password);
            var exchange = users.Server.CreateExchange("SCRAM-SHA-256", reauthenticating: false);
            var first = exchange.Evaluate(client.First());
            Assert.Equal(SaslStepKind.Challenge, first.Kind);
            Assert.Matches("^r=[!-+--~]+,s=[A-Za-z0-9+/=]{44},i=4096$", Encoding.UTF8.GetString(first.ServerToken));
            return exchange.Evaluate(client.Final(first.ServerToken));
        }

        var wrong = Attempt("alice", "wrong");
        var unknown = Attempt("mallory", "whatever");

        Assert.Equal(SaslStepKind.Failed, wrong.Kind);
        Assert.Equal(SaslStepKind.Failed, unknown.Kind);
        Assert.Equal("Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256", wrong.Error);
        Assert.Equal(wrong.Error, unknown.Error);
    }

    [Fact]
    public void Evaluate_UnknownUserTwice_ShowsTheSameSalt()
    {
        using var users = new SaslTestUsers();
        string Salt() => Encoding.UTF8.GetString(users.Server.CreateExchange("SCRAM-SHA-512", false).Evaluate("n,,n=ghost,r=abc"u8).ServerToken).Split(',')[1];
        Assert.Equal(Salt(), Salt());
    }

    [Theory]
    [InlineData("")]
    [InlineData("n=user,r=abc")]
    [InlineData("x,,n=user,r=abc")]
    [InlineData("p=tls-unique,,n=user,r=abc")]
    [InlineData("n,b=x,n=user,r=abc")]
    [InlineData("n,,m=ext,n=user,r=abc")]
    [InlineData("n,,r=abc,n=user")]
    [InlineData("n,,n=user")]
    [InlineData("n,,n=us=er,r=abc")]
    [InlineData("n,,n=,r=abc")]
    [InlineData("n,,n=user,r=")]
    [InlineData("n,,n=user,r=a\u007fb")]
    [InlineData("n,,n=user,r=abc,tokenauth=true")]
    [InlineData("n,,n=user,r=abc,=novalue")]
    public void Evaluate_MalformedClientFirst_FailsWithTheProblem(string message)
    {
        using var users = new SaslTestUsers();
        var step = users.Server.CreateExchange("SCRAM-SHA-256", false).Evaluate(Encoding.UTF8.GetBytes(message));
        Assert.Equal(SaslStepKind.Failed, step.Kind);
        Assert.StartsWith("Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256: malformed SCRAM message (", step.Error);
    }

    [Fact]
    public void Evaluate_AuthorizationIdOfAnotherUser_Fails()
    {
        using var users = new SaslTestUsers();
        var step = users.Server.CreateExchange("SCRAM-SHA-256", false).Evaluate("n,a=admin,n=user,r=abc"u8);
        Assert.Equal(SaslStepKind.Failed, step.Kind);
        Assert.Equal("Authentication failed: Client requested an authorization id that is different from username", step.Error);
    }

    [Fact]
    public void Evaluate_InvalidUtf8_Fails()
    {
        using var users = new SaslTestUsers();
        var step = users.Server.CreateExchange("SCRAM-SHA-256", false).Evaluate([0x6E, 0x2C, 0x2C, 0xFF, 0xFE]);
        Assert.Equal(SaslStepKind.Failed, step.Kind);
        Assert.Contains("not valid UTF-8", step.Error);
    }

    [Theory]
    [InlineData("c=biws,r={nonce}")]
    [InlineData("c=eSws,r={nonce},p={proof}")]
    [InlineData("c=biws,r={nonce}x,p={proof}")]
    [InlineData("c=biws,r={nonce},p=!!!")]
    [InlineData("c=biws,r={nonce},p=AAAA")]
    [InlineData("r={nonce},c=biws,p={proof}")]
    [InlineData("c=biws,r={nonce},tokenauth=true,p={proof}")]
    public void Evaluate_MalformedClientFinal_Fails(string template)
    {
        using var users = new SaslTestUsers();
        users.Store.SetPassword("user", "SCRAM-SHA-256", "pencil");
        var client = new ScramTestClient(ScramMechanism.Sha256, "user", "pencil");
        var exchange = users.Server.CreateExchange("SCRAM-SHA-256", false);
        var first = exchange.Evaluate(client.First());
        var genuine = Encoding.UTF8.GetString(client.Final(first.ServerToken));
        var nonce = genuine.Split(',')[1][2..];
        var proof = genuine[(genuine.LastIndexOf(",p=", StringComparison.Ordinal) + 3)..];

        var step = exchange.Evaluate(Encoding.UTF8.GetBytes(template.Replace("{nonce}", nonce, StringComparison.Ordinal).Replace("{proof}", proof, StringComparison.Ordinal)));

        Assert.Equal(SaslStepKind.Failed, step.Kind);
        Assert.StartsWith("Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256", step.Error);
    }
}
