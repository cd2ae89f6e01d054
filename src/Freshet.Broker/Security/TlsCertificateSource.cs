using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Freshet.Broker.Logging;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Security;

/// <summary>
/// The server certificate (with its chain) and the trusted client certificate authorities of <see cref="TlsOptions"/>,
/// read from their files at start and read again when one of the files changes, so a renewed certificate is served to
/// new connections without a restart. Connections already open keep the certificate they were made with.
/// <para>
/// Change detection: each handshake compares the files' last-write time and length with those of the last load attempt
/// (a few <c>stat</c> calls, small beside a handshake). A change that does not load (a file half written, a key that
/// does not match its certificate) is logged once and the previous material stays in use; the next change is tried
/// again. The first load happens in the constructor, and its failure is the broker's failure to start.
/// </para>
/// Thread-safety: <see cref="Current"/> may be called from any thread; reloads are serialised by a lock, readers see
/// either the old or the new material, never a mix.
/// </summary>
internal sealed class TlsCertificateSource
{
    private readonly TlsOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private volatile TlsMaterial _current;
    private FileStamp[] _lastAttempt;

    /// <summary>Loads the files of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">A file is missing or does not hold a usable certificate, key or trust store; the message names the file and the property.</exception>
    public TlsCertificateSource(TlsOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _lastAttempt = Stamps();
        try
        {
            _current = Load(options);
        }
        catch (Exception e) when (IsLoadFailure(e))
        {
            throw new ArgumentException($"TLS: {e.Message}", e);
        }
    }

    /// <summary>The material for a new connection: reloaded first if a file changed since the last attempt.</summary>
    public TlsMaterial Current
    {
        get
        {
            var stamps = Stamps();
            if (!SameStamps(stamps, Volatile.Read(ref _lastAttempt)))
            {
                ReloadIfChanged();
            }

            return _current;
        }
    }

    private void ReloadIfChanged()
    {
        lock (_reloadLock)
        {
            var stamps = Stamps();
            if (SameStamps(stamps, _lastAttempt))
            {
                return;
            }

            Volatile.Write(ref _lastAttempt, stamps);
            try
            {
                _current = Load(_options);
                _logger.TlsCertificateLoaded(_current.Subject, _current.NotAfter, _options.KeystoreLocation);
            }
            catch (Exception e) when (IsLoadFailure(e))
            {
                _logger.TlsCertificateReloadFailed(_options.KeystoreLocation, e.Message);
            }
        }
    }

    private static bool IsLoadFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException or InvalidDataException;

    private FileStamp[] Stamps()
    {
        string?[] paths = [_options.KeystoreLocation, _options.KeyLocation, _options.TruststoreLocation];
        var stamps = new FileStamp[paths.Length];
        for (var i = 0; i < paths.Length; i++)
        {
            if (paths[i] is { } path)
            {
                var info = new FileInfo(path);
                stamps[i] = info.Exists ? new FileStamp(info.LastWriteTimeUtc.Ticks, info.Length) : new FileStamp(-1, -1);
            }
        }

        return stamps;
    }

    private static bool SameStamps(FileStamp[] a, FileStamp[] b) => a.AsSpan().SequenceEqual(b);

    /// <summary>Reads the server certificate, its key and chain, and the trust store.</summary>
    internal static TlsMaterial Load(TlsOptions options)
    {
        var (certificate, chain) = options.KeystoreType == TlsStoreType.Pem ? LoadPem(options) : LoadPkcs12(options);
        if (OperatingSystem.IsWindows())
        {
            // SChannel cannot use the ephemeral keys PEM imports make; a PKCS#12 round trip gives a persisted one.
            certificate = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }

        var context = SslStreamCertificateContext.Create(certificate, chain, offline: true);
        X509Certificate2Collection? trusted = null;
        if (options.TruststoreLocation is { } truststore)
        {
            trusted = options.TruststoreType == TlsStoreType.Pem
                ? PemCertificates(truststore, "ssl.truststore.location")
                : X509CertificateLoader.LoadPkcs12CollectionFromFile(truststore, options.TruststorePassword);
            if (trusted.Count == 0)
            {
                throw new InvalidDataException($"the trust store '{truststore}' (ssl.truststore.location) holds no certificate.");
            }
        }

        return new TlsMaterial(context, trusted, CertificateSubject.Rfc2253(certificate.SubjectName), certificate.NotAfter.ToUniversalTime());
    }

    private static (X509Certificate2 Certificate, X509Certificate2Collection Chain) LoadPem(TlsOptions options)
    {
        var certificates = PemCertificates(options.KeystoreLocation, "ssl.keystore.location");
        if (certificates.Count == 0)
        {
            throw new InvalidDataException($"'{options.KeystoreLocation}' (ssl.keystore.location) holds no PEM certificate.");
        }

        var certificatePem = File.ReadAllText(options.KeystoreLocation);
        var keyPath = options.KeyLocation ?? options.KeystoreLocation;
        var keyPem = File.ReadAllText(keyPath);
        X509Certificate2 certificate;
        try
        {
            certificate = options.KeyPassword is { } password
                ? X509Certificate2.CreateFromEncryptedPem(certificatePem, keyPem, password)
                : X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // ArgumentException: a key that does not match the certificate, or no key at all.
            throw new InvalidDataException($"the private key in '{keyPath}' ({(options.KeyLocation is null ? "ssl.keystore.location" : "ssl.keystore.key.location")}) cannot be used with the certificate in '{options.KeystoreLocation}': {e.Message}", e);
        }

        var chain = new X509Certificate2Collection();
        for (var i = 1; i < certificates.Count; i++)
        {
            chain.Add(certificates[i]);
        }

        return (certificate, chain);
    }

    private static (X509Certificate2 Certificate, X509Certificate2Collection Chain) LoadPkcs12(TlsOptions options)
    {
        if (!File.Exists(options.KeystoreLocation))
        {
            throw new FileNotFoundException($"'{options.KeystoreLocation}' (ssl.keystore.location) does not exist.", options.KeystoreLocation);
        }

        var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(options.KeystoreLocation, options.KeystorePassword);
        X509Certificate2? certificate = null;
        var chain = new X509Certificate2Collection();
        foreach (var candidate in all)
        {
            if (certificate is null && candidate.HasPrivateKey)
            {
                certificate = candidate;
            }
            else
            {
                chain.Add(candidate);
            }
        }

        return certificate is null
            ? throw new InvalidDataException($"'{options.KeystoreLocation}' (ssl.keystore.location) holds no certificate with its private key.")
            : (certificate, chain);
    }

    private static X509Certificate2Collection PemCertificates(string path, string property)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' ({property}) does not exist.", path);
        }

        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        return collection;
    }

    private readonly record struct FileStamp(long LastWriteTicks, long Length);
}
