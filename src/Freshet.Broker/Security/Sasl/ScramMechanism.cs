using System.Security.Cryptography;
using System.Text;

namespace Freshet.Broker.Security.Sasl;

/// <summary>
/// One SCRAM mechanism (RFC 5802 with the hash of RFC 7677 or its SHA-512 sibling): its SASL name, Kafka's numeric type
/// (the <c>Mechanism</c> field of the SCRAM credential APIs), its hash and the key derivations built on it. The salted
/// password is PBKDF2-HMAC of the password's UTF-8 bytes (Kafka does not apply SASLprep either). Immutable; thread-safe.
/// </summary>
internal sealed class ScramMechanism
{
    /// <summary>The fewest PBKDF2 iterations a credential may have (RFC 7677 and Kafka: 4096).</summary>
    public const int MinIterations = 4096;

    /// <summary>The most PBKDF2 iterations a credential may have (Kafka's limit), which bounds the CPU one PLAIN authentication costs.</summary>
    public const int MaxIterations = 16384;

    private static readonly byte[] ClientKeyLabel = "Client Key"u8.ToArray();
    private static readonly byte[] ServerKeyLabel = "Server Key"u8.ToArray();

    private ScramMechanism(string name, sbyte kafkaType, HashAlgorithmName hash, int keyBytes)
    {
        Name = name;
        KafkaType = kafkaType;
        Hash = hash;
        KeyBytes = keyBytes;
    }

    /// <summary>SCRAM-SHA-256 (Kafka type 1).</summary>
    public static ScramMechanism Sha256 { get; } = new("SCRAM-SHA-256", 1, HashAlgorithmName.SHA256, 32);

    /// <summary>SCRAM-SHA-512 (Kafka type 2).</summary>
    public static ScramMechanism Sha512 { get; } = new("SCRAM-SHA-512", 2, HashAlgorithmName.SHA512, 64);

    /// <summary>Both mechanisms, SHA-256 first.</summary>
    public static IReadOnlyList<ScramMechanism> All { get; } = [Sha256, Sha512];

    /// <summary>The SASL mechanism name, for example <c>SCRAM-SHA-256</c>.</summary>
    public string Name { get; }

    /// <summary>Kafka's number for the mechanism in DescribeUserScramCredentials and AlterUserScramCredentials.</summary>
    public sbyte KafkaType { get; }

    /// <summary>The hash function H of RFC 5802.</summary>
    public HashAlgorithmName Hash { get; }

    /// <summary>Bytes of the hash's output: the length of salted passwords, keys, signatures and proofs.</summary>
    public int KeyBytes { get; }

    /// <summary>Finds a mechanism by its SASL name (exact, as Kafka matches it).</summary>
    public static bool TryFromName(string name, out ScramMechanism mechanism)
    {
        mechanism = name switch
        {
            "SCRAM-SHA-256" => Sha256,
            "SCRAM-SHA-512" => Sha512,
            _ => null!,
        };
        return mechanism is not null;
    }

    /// <summary>Finds a mechanism by Kafka's numeric type (1 or 2).</summary>
    public static bool TryFromKafkaType(sbyte type, out ScramMechanism mechanism)
    {
        mechanism = type switch
        {
            1 => Sha256,
            2 => Sha512,
            _ => null!,
        };
        return mechanism is not null;
    }

    /// <summary>Hi(password, salt, iterations) of RFC 5802: PBKDF2-HMAC of the password's UTF-8 bytes.</summary>
    public byte[] SaltedPassword(string password, ReadOnlySpan<byte> salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, Hash, KeyBytes);

    /// <summary>HMAC(key, data) with this mechanism's hash.</summary>
    public byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) =>
        Hash == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, data) : HMACSHA512.HashData(key, data);

    /// <summary>H(data).</summary>
    public byte[] Digest(ReadOnlySpan<byte> data) =>
        Hash == HashAlgorithmName.SHA256 ? SHA256.HashData(data) : SHA512.HashData(data);

    /// <summary>ClientKey = HMAC(SaltedPassword, "Client Key").</summary>
    public byte[] ClientKey(ReadOnlySpan<byte> saltedPassword) => Hmac(saltedPassword, ClientKeyLabel);

    /// <summary>StoredKey = H(ClientKey).</summary>
    public byte[] StoredKey(ReadOnlySpan<byte> clientKey) => Digest(clientKey);

    /// <summary>ServerKey = HMAC(SaltedPassword, "Server Key").</summary>
    public byte[] ServerKey(ReadOnlySpan<byte> saltedPassword) => Hmac(saltedPassword, ServerKeyLabel);

    /// <summary>The mechanism's SASL name.</summary>
    public override string ToString() => Name;
}
