using System.Text;
using Freshet.Broker.Security.Sasl;

namespace Freshet.Broker.Tests.Security.Sasl;

/// <summary>PLAIN checked against the stored SCRAM credentials, with Kafka's messages.</summary>
public sealed class PlainServerExchangeTests
{
    private static SaslStep Plain(SaslTestUsers users, string token) =>
        users.Server.CreateExchange("PLAIN", false).Evaluate(Encoding.UTF8.GetBytes(token));

    [Theory]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-512")]
    public void Evaluate_RightPassword_Completes(string mechanism)
    {
        using var users = new SaslTestUsers();
        users.Store.SetPassword("alice", mechanism, "pa55");
        Assert.Equal(("alice", SaslStepKind.Complete), (Plain(users, "\0alice\0pa55").User!, Plain(users, "alice\0alice\0pa55").Kind));
    }

    [Fact]
    public void Evaluate_WrongPasswordOrUnknownUser_SameError()
    {
        using var users = new SaslTestUsers();
        users.Store.SetPassword("alice", "SCRAM-SHA-256", "pa55");
        var wrong = Plain(users, "\0alice\0nope");
        var unknown = Plain(users, "\0bob\0pa55");
        Assert.Equal(SaslStepKind.Failed, wrong.Kind);
        Assert.Equal("Authentication failed: Invalid username or password", wrong.Error);
        Assert.Equal(wrong.Error, unknown.Error);
    }

    [Theory]
    [InlineData("alice\0pa55", "Invalid SASL/PLAIN response: expected 3 tokens, got 2")]
    [InlineData("\0alice\0pa55\0x", "Invalid SASL/PLAIN response: expected 3 tokens, got 4")]
    [InlineData("\0\0pa55", "Authentication failed: username not specified")]
    [InlineData("\0alice\0", "Authentication failed: password not specified")]
    [InlineData("bob\0alice\0pa55", "Authentication failed: Client requested an authorization id that is different from username")]
    public void Evaluate_MalformedToken_FailsWithKafkasMessage(string token, string error)
    {
        using var users = new SaslTestUsers();
        users.Store.SetPassword("alice", "SCRAM-SHA-256", "pa55");
        var step = Plain(users, token);
        Assert.Equal(SaslStepKind.Failed, step.Kind);
        Assert.Equal(error, step.Error);
    }
}
