using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Freshet.Broker.Security.Sasl;

/// <summary>
/// SCRAM (RFC 5802; SHA-256 per RFC 7677, or SHA-512) on the server, in two client tokens:
/// <list type="number">
/// <item>client-first <c>gs2-header n=user,r=cnonce[,ext]</c> → server-first <c>r=cnonce+snonce,s=salt,i=iterations</c>;</item>
/// <item>client-final <c>c=b64(gs2-header),r=nonce[,ext],p=proof</c> → server-final <c>v=b64(ServerSignature)</c>.</item>
/// </list>
/// The proof is checked by recovering ClientKey = proof XOR HMAC(StoredKey, AuthMessage) and comparing H(ClientKey) with
/// StoredKey in constant time. Channel binding (<c>p=</c>) and the reserved <c>m=</c> attribute are refused, as in Kafka;
/// extensions are accepted except <c>tokenauth=true</c> (delegation tokens, not served). An unknown user gets a
/// stand-in credential (salt derived from the name with a per-process secret, keys that match nothing), so the exchange
/// runs to the proof and fails there exactly as a wrong password does. The server nonce comes from a CSPRNG.
/// Not thread-safe.
/// </summary>
internal sealed class ScramServerExchange : ISaslServerExchange
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly SaslServer _server;
    private readonly ScramMechanism _mechanism;
    private readonly string _invalidCredentials;
    private readonly string? _fixedServerNonce;
    private State _state = State.ExpectClientFirst;

    // Set by the client-first message, used by the client-final one.
    private string _gs2Header = "";
    private string _clientFirstBare = "";
    private string _serverFirst = "";
    private string _nonce = "";
    private string _user = "";
    private bool _userKnown;
    private ScramCredential? _credential;

    /// <param name="serverNonce">The server's part of the nonce; null (always, outside tests of RFC vectors): 24 random bytes from a CSPRNG, base64.</param>
    public ScramServerExchange(SaslServer server, ScramMechanism mechanism, bool reauthenticating, string? serverNonce = null)
    {
        _fixedServerNonce = serverNonce;
        _server = server;
        _mechanism = mechanism;
        _invalidCredentials = $"Authentication failed during {(reauthenticating ? "re-authentication" : "authentication")} due to invalid credentials with SASL mechanism {mechanism.Name}";
    }

    private enum State
    {
        ExpectClientFirst,
        ExpectClientFinal,
        Done,
    }

    /// <inheritdoc/>
    public string Mechanism => _mechanism.Name;

    /// <inheritdoc/>
    public SaslStep Evaluate(ReadOnlySpan<byte> clientToken)
    {
        string message;
        try
        {
            message = StrictUtf8.GetString(clientToken);
        }
        catch (DecoderFallbackException)
        {
            return Malformed("the SCRAM message is not valid UTF-8");
        }

        try
        {
            switch (_state)
            {
                case State.ExpectClientFirst:
                    return ClientFirst(message);
                case State.ExpectClientFinal:
                    return ClientFinal(message);
                default:
                    return Malformed("a token arrived after the SCRAM exchange ended");
            }
        }
        catch (FormatException e)
        {
            _state = State.Done;
            return Malformed(e.Message);
        }
    }

    private SaslStep ClientFirst(string message)
    {
        // gs2-header = gs2-cbind-flag "," [ authzid ] ","
        var firstComma = message.IndexOf(',', StringComparison.Ordinal);
        var secondComma = firstComma < 0 ? -1 : message.IndexOf(',', firstComma + 1);
        if (secondComma < 0)
        {
            throw new FormatException("client-first message: no GS2 header (expected 'n,,' or 'y,,')");
        }

        var flag = message[..firstComma];
        if (flag.StartsWith("p=", StringComparison.Ordinal))
        {
            throw new FormatException("client-first message: channel binding is not supported");
        }

        if (flag is not ("n" or "y"))
        {
            throw new FormatException($"client-first message: invalid GS2 channel-binding flag '{flag}'");
        }

        var authorizationId = message[(firstComma + 1)..secondComma];
        if (authorizationId.Length > 0)
        {
            authorizationId = authorizationId.StartsWith("a=", StringComparison.Ordinal)
                ? DecodeSaslName(authorizationId[2..], "authorization id")
                : throw new FormatException("client-first message: the GS2 authorization id must start with 'a='");
        }

        _gs2Header = message[..(secondComma + 1)];
        _clientFirstBare = message[(secondComma + 1)..];
        var attributes = _clientFirstBare.Split(',');
        if (attributes[0].StartsWith("m=", StringComparison.Ordinal))
        {
            throw new FormatException("client-first message: mandatory extensions (m=) are not supported");
        }

        if (attributes.Length < 2 || !attributes[0].StartsWith("n=", StringComparison.Ordinal) || !attributes[1].StartsWith("r=", StringComparison.Ordinal))
        {
            throw new FormatException("client-first message: expected 'n=USER,r=NONCE' after the GS2 header");
        }

        var user = DecodeSaslName(attributes[0][2..], "user name");
        var clientNonce = attributes[1][2..];
        CheckNonce(clientNonce, "client-first message");
        CheckExtensions(attributes.AsSpan(2), "client-first message");
        if (authorizationId.Length > 0 && authorizationId != user)
        {
            _state = State.Done;
            return SaslStep.Fail("Authentication failed: Client requested an authorization id that is different from username", $"user '{user}' asked to act as '{authorizationId}'");
        }

        if (user.Length == 0 || ScramCredentialStore.UserNameProblem(user) is not null)
        {
            throw new FormatException("client-first message: the user name is empty or invalid");
        }

        _user = user;
        _userKnown = _server.TryGetCredential(user, _mechanism, out var credential);
        _credential = credential;
        _nonce = clientNonce + (_fixedServerNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
        _serverFirst = string.Create(CultureInfo.InvariantCulture, $"r={_nonce},s={Convert.ToBase64String(credential.Salt)},i={credential.Iterations}");
        _state = State.ExpectClientFinal;
        return SaslStep.Challenge(Encoding.UTF8.GetBytes(_serverFirst));
    }

    private SaslStep ClientFinal(string message)
    {
        _state = State.Done;
        var proofStart = message.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofStart < 0)
        {
            throw new FormatException("client-final message: no proof (p=)");
        }

        var withoutProof = message[..proofStart];
        var attributes = withoutProof.Split(',');
        if (attributes.Length < 2 || !attributes[0].StartsWith("c=", StringComparison.Ordinal) || !attributes[1].StartsWith("r=", StringComparison.Ordinal))
        {
            throw new FormatException("client-final message: expected 'c=BINDING,r=NONCE,...,p=PROOF'");
        }

        CheckExtensions(attributes.AsSpan(2), "client-final message");
        var expectedBinding = Convert.ToBase64String(Encoding.UTF8.GetBytes(_gs2Header));
        if (attributes[0][2..] != expectedBinding)
        {
            throw new FormatException("client-final message: the channel binding (c=) does not repeat the GS2 header");
        }

        // Kafka accepts a nonce that ends with the one it sent (librdkafka 2.0 repeats its own part, r=CCS for r=CS), and
        // so does Freshet: the proof covers the client-final message as sent, so nothing is weakened.
        if (!attributes[1][2..].EndsWith(_nonce, StringComparison.Ordinal))
        {
            throw new FormatException("client-final message: the nonce (r=) does not end with the one the server sent");
        }

        byte[] proof;
        try
        {
            proof = Convert.FromBase64String(message[(proofStart + 3)..]);
        }
        catch (FormatException)
        {
            throw new FormatException("client-final message: the proof (p=) is not base64");
        }

        if (proof.Length != _mechanism.KeyBytes)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"client-final message: the proof has {proof.Length} bytes, {_mechanism.Name} needs {_mechanism.KeyBytes}"));
        }

        var credential = _credential!;
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + _serverFirst + "," + withoutProof);
        var clientSignature = _mechanism.Hmac(credential.StoredKey, authMessage);
        var clientKey = new byte[proof.Length];
        for (var i = 0; i < clientKey.Length; i++)
        {
            clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
        }

        var verified = CryptographicOperations.FixedTimeEquals(_mechanism.StoredKey(clientKey), credential.StoredKey);
        if (!verified || !_userKnown)
        {
            return SaslStep.Fail(_invalidCredentials, _userKnown ? $"wrong password for user '{_user}'" : $"unknown user '{_user}'");
        }

        var serverSignature = _mechanism.Hmac(credential.ServerKey, authMessage);
        return SaslStep.Complete(_user, Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(serverSignature)));
    }

    private SaslStep Malformed(string problem)
    {
        _state = State.Done;
        return SaslStep.Fail($"{_invalidCredentials}: malformed SCRAM message ({problem})", problem);
    }

    /// <summary>saslname of RFC 5802: ',' and '=' are written '=2C' and '=3D'; any other '=' is an error.</summary>
    private static string DecodeSaslName(string text, string what)
    {
        if (!text.Contains('=', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '=')
            {
                result.Append(text[i]);
            }
            else if (string.CompareOrdinal(text, i, "=2C", 0, 3) == 0)
            {
                result.Append(',');
                i += 2;
            }
            else if (string.CompareOrdinal(text, i, "=3D", 0, 3) == 0)
            {
                result.Append('=');
                i += 2;
            }
            else
            {
                throw new FormatException($"the {what} holds '=' not followed by 2C or 3D");
            }
        }

        return result.ToString();
    }

    /// <summary>A nonce is one or more printable ASCII characters other than ','.</summary>
    private static void CheckNonce(string nonce, string where)
    {
        if (nonce.Length == 0)
        {
            throw new FormatException($"{where}: the nonce is empty");
        }

        foreach (var c in nonce)
        {
            if (c is < (char)0x21 or > (char)0x7E)
            {
                throw new FormatException($"{where}: the nonce holds a character that is not printable ASCII");
            }
        }
    }

    /// <summary>Extensions are <c>NAME=VALUE</c> with a letter-led name; <c>tokenauth=true</c> (delegation tokens) is refused.</summary>
    private static void CheckExtensions(ReadOnlySpan<string> extensions, string where)
    {
        foreach (var extension in extensions)
        {
            var equals = extension.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !char.IsAsciiLetter(extension[0]))
            {
                throw new FormatException($"{where}: '{Truncate(extension)}' is not an attribute NAME=VALUE");
            }

            if (extension[..equals] == "tokenauth" && string.Equals(extension[(equals + 1)..], "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException($"{where}: delegation tokens (tokenauth=true) are not supported");
            }
        }
    }

    private static string Truncate(string text) => text.Length <= 32 ? text : text[..32] + "...";
}
