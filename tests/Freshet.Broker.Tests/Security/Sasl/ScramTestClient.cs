using System.Security.Cryptography;
using System.Text;
using Freshet.Broker.Security.Sasl;

namespace Freshet.Broker.Tests.Security.Sasl;

/// <summary>The client side of SCRAM, written from RFC 5802 for tests that speak SASL over raw connections.</summary>
internal sealed class ScramTestClient
{
    private readonly ScramMechanism _mechanism;
    private readonly string _password;
    private readonly string _clientFirstBare;
    private byte[] _authMessage = [];
    private byte[] _saltedPassword = [];

    public ScramTestClient(ScramMechanism mechanism, string user, string password)
    {
        _mechanism = mechanism;
        _password = password;
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        _clientFirstBare = "n=" + user.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal) + ",r=" + nonce;
    }

    public byte[] First() => Encoding.UTF8.GetBytes("n,," + _clientFirstBare);

    public byte[] Final(byte[] serverFirst)
    {
        var text = Encoding.UTF8.GetString(serverFirst);
        var attributes = text.Split(',');
        var nonce = attributes[0][2..];
        var salt = Convert.FromBase64String(attributes[1][2..]);
        var iterations = int.Parse(attributes[2][2..], System.Globalization.CultureInfo.InvariantCulture);
        var withoutProof = "c=biws,r=" + nonce;
        _authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + text + "," + withoutProof);
        _saltedPassword = _mechanism.SaltedPassword(_password, salt, iterations);
        var clientKey = _mechanism.ClientKey(_saltedPassword);
        var signature = _mechanism.Hmac(_mechanism.StoredKey(clientKey), _authMessage);
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ signature[i]);
        }

        return Encoding.UTF8.GetBytes(withoutProof + ",p=" + Convert.ToBase64String(proof));
    }

    public bool VerifyServer(byte[] serverFinal) =>
        Encoding.UTF8.GetString(serverFinal) == "v=" + Convert.ToBase64String(_mechanism.Hmac(_mechanism.ServerKey(_saltedPassword), _authMessage));
}
