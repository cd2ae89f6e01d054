using System.Security.Cryptography;
using System.Text;

namespace Freshet.Streaming.Application.Membership.Security;

/// <summary>
/// The client side of one SASL exchange carried in SaslAuthenticate requests: PLAIN (RFC 4616) or SCRAM-SHA-256 /
/// SCRAM-SHA-512 (RFC 5802, RFC 7677). <see cref="FirstMessage"/> gives the first token; <see cref="Respond"/> takes
/// each server token and returns the next client token, or null once the exchange is complete and (for SCRAM) the
/// server has proved it knows the password too. One instance per exchange; not thread-safe.
/// </summary>
internal abstract class SaslClient
{
    /// <summary>Whether <paramref name="mechanism"/> (upper case) is implemented.</summary>
    public static bool IsSupported(string mechanism) => mechanism is "PLAIN" or "SCRAM-SHA-256" or "SCRAM-SHA-512";

    /// <summary>A client for <paramref name="mechanism"/> authenticating <paramref name="username"/>.</summary>
    /// <param name="clientNonce">SCRAM's client nonce; null (always, outside tests of published exchanges) draws 24 random bytes.</param>
    public static SaslClient Create(string mechanism, string username, string password, string? clientNonce = null) => mechanism switch
    {
        "PLAIN" => new Plain(username, password),
        "SCRAM-SHA-256" => new Scram(HashAlgorithmName.SHA256, username, password, clientNonce ?? NewNonce()),
        "SCRAM-SHA-512" => new Scram(HashAlgorithmName.SHA512, username, password, clientNonce ?? NewNonce()),
        _ => throw new ArgumentException($"SASL mechanism '{mechanism}' is not supported.", nameof(mechanism)),
    };

    private static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    /// <summary>The first client token.</summary>
    public abstract byte[] FirstMessage();

    /// <summary>Processes <paramref name="serverToken"/>; returns the next client token, or null when the exchange is complete.</summary>
    /// <exception cref="KafkaAuthenticationException">The server's token is malformed, reports an error, or does not prove the server knows the password.</exception>
    public abstract byte[]? Respond(ReadOnlySpan<byte> serverToken);

    private sealed class Plain(string username, string password) : SaslClient
    {
        public override byte[] FirstMessage() => Encoding.UTF8.GetBytes("\0" + username + "\0" + password);

        public override byte[]? Respond(ReadOnlySpan<byte> serverToken) => null;
    }

    /// <summary>SCRAM with the client's proof and the check of the server's signature (RFC 5802 section 3).</summary>
    private sealed class Scram(HashAlgorithmName hash, string username, string password, string clientNonce) : SaslClient
    {
        private const string Gs2Header = "n,,";
        private readonly string _clientNonce = clientNonce;
        private string _clientFirstBare = "";
        private byte[]? _expectedServerSignature;

        public override byte[] FirstMessage()
        {
            _clientFirstBare = "n=" + username.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal) + ",r=" + _clientNonce;
            return Encoding.UTF8.GetBytes(Gs2Header + _clientFirstBare);
        }

        public override byte[]? Respond(ReadOnlySpan<byte> serverToken)
        {
            var message = Encoding.UTF8.GetString(serverToken);
            var attributes = ParseAttributes(message);
            if (attributes.TryGetValue('e', out var error))
            {
                throw new KafkaAuthenticationException($"The broker refused the SCRAM exchange: {error}.");
            }

            return _expectedServerSignature is null ? ClientFinal(message, attributes) : VerifyServerFinal(attributes);
        }

        private byte[] ClientFinal(string serverFirst, Dictionary<char, string> attributes)
        {
            if (!attributes.TryGetValue('r', out var nonce) || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal) || nonce.Length == _clientNonce.Length
                || !attributes.TryGetValue('s', out var saltText) || !attributes.TryGetValue('i', out var iterationText)
                || !int.TryParse(iterationText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
            {
                throw new KafkaAuthenticationException("The broker's first SCRAM message is malformed (it needs r= extending the client's nonce, s= and i=).");
            }

            byte[] salt;
            try
            {
                salt = Convert.FromBase64String(saltText);
            }
            catch (FormatException)
            {
                throw new KafkaAuthenticationException("The broker's SCRAM salt is not base64.");
            }

            var keyBytes = HashLength;
            var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, hash, keyBytes);
            var clientKey = Hmac(saltedPassword, "Client Key");
            var storedKey = CryptographicOperations.HashData(hash, clientKey);
            var clientFinalWithoutProof = "c=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(Gs2Header)) + ",r=" + nonce;
            var authMessage = _clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof;
            var clientSignature = Hmac(storedKey, authMessage);
            var proof = new byte[keyBytes];
            for (var i = 0; i < proof.Length; i++)
            {
                proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
            }

            _expectedServerSignature = Hmac(Hmac(saltedPassword, "Server Key"), authMessage);
            return Encoding.UTF8.GetBytes(clientFinalWithoutProof + ",p=" + Convert.ToBase64String(proof));
        }

        private byte[]? VerifyServerFinal(Dictionary<char, string> attributes)
        {
            byte[] signature;
            try
            {
                signature = attributes.TryGetValue('v', out var text) ? Convert.FromBase64String(text) : [];
            }
            catch (FormatException)
            {
                signature = [];
            }

            if (!CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
            {
                throw new KafkaAuthenticationException("The broker's final SCRAM message does not prove it knows the password; the connection is not trusted.");
            }

            return null;
        }

        private int HashLength => hash == HashAlgorithmName.SHA512 ? 64 : 32;

        private byte[] Hmac(byte[] key, string text) => hash == HashAlgorithmName.SHA512
            ? HMACSHA512.HashData(key, Encoding.UTF8.GetBytes(text))
            : HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text));

        private static Dictionary<char, string> ParseAttributes(string message)
        {
            var attributes = new Dictionary<char, string>();
            foreach (var part in message.Split(','))
            {
                if (part.Length >= 2 && part[1] == '=')
                {
                    attributes.TryAdd(part[0], part[2..]);
                }
            }

            return attributes;
        }
    }
}
