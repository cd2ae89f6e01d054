namespace Freshet.Broker.Security;

/// <summary>The file format of a key store or trust store (Kafka's <c>ssl.keystore.type</c>, <c>ssl.truststore.type</c>).</summary>
public enum TlsStoreType
{
    /// <summary><c>PEM</c>: text files of <c>-----BEGIN CERTIFICATE-----</c> and <c>-----BEGIN PRIVATE KEY-----</c> blocks.</summary>
    Pem,

    /// <summary><c>PKCS12</c>: a binary <c>.p12</c>/<c>.pfx</c> file, optionally protected by a password.</summary>
    Pkcs12,
}
