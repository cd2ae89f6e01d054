using System.Text;

namespace Freshet.Broker.Security.Sasl;

/// <summary>
/// SASL/PLAIN (RFC 4616) on the server: one token <c>authzid NUL authcid NUL password</c>, checked against the user's stored
/// SCRAM credential (<see cref="ScramCredential.Matches"/>: PBKDF2 with the stored salt and iterations, constant-time
/// comparison), so the broker never keeps passwords. An unknown user costs the same PBKDF2 against a stand-in credential and
/// gets the same answer as a wrong password. Messages are Kafka's. Not thread-safe.
/// </summary>
internal sealed class PlainServerExchange : ISaslServerExchange
{
    private const string InvalidCredentials = "Authentication failed: Invalid username or password";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly SaslServer _server;

    public PlainServerExchange(SaslServer server) => _server = server;

    /// <inheritdoc/>
    public string Mechanism => SaslMechanisms.Plain;

    /// <inheritdoc/>
    public SaslStep Evaluate(ReadOnlySpan<byte> clientToken)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(clientToken);
        }
        catch (DecoderFallbackException)
        {
            return SaslStep.Fail("Invalid SASL/PLAIN response: not valid UTF-8", "the PLAIN token is not valid UTF-8");
        }

        var tokens = text.Split('\0');
        if (tokens.Length != 3)
        {
            var message = $"Invalid SASL/PLAIN response: expected 3 tokens, got {tokens.Length}";
            return SaslStep.Fail(message, message);
        }

        var (authorizationId, user, password) = (tokens[0], tokens[1], tokens[2]);
        if (user.Length == 0)
        {
            return SaslStep.Fail("Authentication failed: username not specified", "no user name");
        }

        if (password.Length == 0)
        {
            return SaslStep.Fail("Authentication failed: password not specified", $"no password for user '{user}'");
        }

        if (authorizationId.Length != 0 && authorizationId != user)
        {
            return SaslStep.Fail("Authentication failed: Client requested an authorization id that is different from username", $"user '{user}' asked to act as '{authorizationId}'");
        }

        var known = _server.TryGetCredentialForPlain(user, out var credential);
        var matches = credential.Matches(password);
        return known && matches
            ? SaslStep.Complete(user, [])
            : SaslStep.Fail(InvalidCredentials, known ? $"wrong password for user '{user}'" : $"unknown user '{user}'");
    }
}
