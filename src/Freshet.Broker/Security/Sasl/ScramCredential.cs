using System.Security.Cryptography;

namespace Freshet.Broker.Security.Sasl;

/// <summary>
/// What the broker keeps of one user's password for one SCRAM mechanism (RFC 5802 section 2.2): the salt, the iteration
/// count, StoredKey = H(ClientKey) and ServerKey. Enough to verify a SCRAM proof or a PLAIN password, not enough to
/// log in as the user or to recover the password. Immutable; thread-safe.
/// </summary>
internal sealed record ScramCredential(ScramMechanism Mechanism, byte[] Salt, byte[] StoredKey, byte[] ServerKey, int Iterations)
{
    /// <summary>Bytes of the random salt made for a new credential.</summary>
    public const int SaltBytes = 32;

    /// <summary>A credential for <paramref name="password"/> with a fresh random salt.</summary>
    public static ScramCredential FromPassword(ScramMechanism mechanism, string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return FromSaltedPassword(mechanism, salt, mechanism.SaltedPassword(password, salt, iterations), iterations);
    }

    /// <summary>A credential from a salted password computed elsewhere (AlterUserScramCredentials carries one).</summary>
    public static ScramCredential FromSaltedPassword(ScramMechanism mechanism, byte[] salt, ReadOnlySpan<byte> saltedPassword, int iterations) =>
        new(mechanism, salt, mechanism.StoredKey(mechanism.ClientKey(saltedPassword)), mechanism.ServerKey(saltedPassword), iterations);

    /// <summary>
    /// Whether <paramref name="password"/> is this credential's password: derives the salted password with the stored salt
    /// and iterations and compares StoredKeys in constant time.
    /// </summary>
    public bool Matches(string password)
    {
        var candidate = Mechanism.StoredKey(Mechanism.ClientKey(Mechanism.SaltedPassword(password, Salt, Iterations)));
        return CryptographicOperations.FixedTimeEquals(candidate, StoredKey);
    }
}
