using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Security.Sasl;

/// <summary>
/// The broker-wide side of SASL: the enabled mechanisms (<see cref="BrokerOptions.SaslEnabledMechanisms"/>), the user
/// store, the session lifetime (<see cref="BrokerOptions.ConnectionsMaxReauthMs"/>), the stand-in credentials of unknown
/// users, and counters of authentications. Each SASL connection has a <see cref="ConnectionAuthentication"/> that asks
/// this for a new <see cref="ISaslServerExchange"/> per (re-)authentication. Thread-safe.
/// </summary>
internal sealed class SaslServer
{
    /// <summary>
    /// The largest request frame accepted before a connection has authenticated, in bytes (Kafka's
    /// <c>sasl.server.max.receive.size</c> default, 512 KiB): SASL tokens are small, and an unauthenticated client must
    /// not make the broker buffer large frames. A larger frame closes the connection before its payload is read.
    /// </summary>
    public const int MaxUnauthenticatedFrameBytes = 512 * 1024;

    // Keys the stand-in salts of unknown users: stable for the process, so asking twice for one unknown user shows the
    // same salt, as for a real user, and unguessable, so the salt does not reveal that the user is unknown.
    private readonly byte[] _standInSecret = RandomNumberGenerator.GetBytes(32);
    private readonly HashSet<string> _enabled;
    private long _authentications;
    private long _reauthentications;
    private long _failures;

    public SaslServer(ScramCredentialStore credentials, IReadOnlyList<string> enabledMechanisms, long connectionsMaxReauthMs, ILogger logger)
    {
        Credentials = credentials;
        EnabledMechanisms = enabledMechanisms;
        _enabled = new HashSet<string>(enabledMechanisms, StringComparer.Ordinal);
        ConnectionsMaxReauthMs = connectionsMaxReauthMs;
        Logger = logger;
    }

    /// <summary>The user store of the data directory.</summary>
    public ScramCredentialStore Credentials { get; }

    /// <summary>The mechanisms clients may choose, in the order SaslHandshake lists them.</summary>
    public IReadOnlyList<string> EnabledMechanisms { get; }

    /// <summary>The session lifetime given to clients at authentication, in milliseconds; 0 for unlimited (no re-authentication).</summary>
    public long ConnectionsMaxReauthMs { get; }

    /// <summary>Where SASL events go (<see cref="SaslLog"/>).</summary>
    public ILogger Logger { get; }

    /// <summary>Successful first authentications since the broker started.</summary>
    public long Authentications => Interlocked.Read(ref _authentications);

    /// <summary>Successful re-authentications (KIP-368) since the broker started.</summary>
    public long Reauthentications => Interlocked.Read(ref _reauthentications);

    /// <summary>Failed authentications and re-authentications since the broker started.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Whether clients may choose <paramref name="mechanism"/>.</summary>
    public bool IsEnabled(string mechanism) => _enabled.Contains(mechanism);

    /// <summary>A new exchange for <paramref name="mechanism"/>, which must be enabled.</summary>
    public ISaslServerExchange CreateExchange(string mechanism, bool reauthenticating) =>
        mechanism == SaslMechanisms.Plain ? new PlainServerExchange(this)
        : ScramMechanism.TryFromName(mechanism, out var scram) ? new ScramServerExchange(this, scram, reauthenticating)
        : throw new ArgumentException($"SASL mechanism '{mechanism}' cannot be served.", nameof(mechanism));

    /// <summary>
    /// The credential of <paramref name="user"/> for <paramref name="mechanism"/>: true with the stored one, false with a
    /// stand-in that has a plausible salt and iterations and keys nothing matches.
    /// </summary>
    public bool TryGetCredential(string user, ScramMechanism mechanism, out ScramCredential credential)
    {
        if (Credentials.TryGet(user, mechanism, out credential))
        {
            return true;
        }

        credential = StandIn(user, mechanism);
        return false;
    }

    /// <summary>
    /// The credential a PLAIN password is checked against: the user's SCRAM-SHA-256 one, else SCRAM-SHA-512; false with
    /// a stand-in (which costs the same PBKDF2) when the user has neither.
    /// </summary>
    public bool TryGetCredentialForPlain(string user, out ScramCredential credential)
    {
        foreach (var mechanism in ScramMechanism.All)
        {
            if (Credentials.TryGet(user, mechanism, out credential))
            {
                return true;
            }
        }

        credential = StandIn(user, ScramMechanism.Sha256);
        return false;
    }

    /// <summary>Counts a successful authentication (or re-authentication).</summary>
    public void CountSuccess(bool reauthentication)
    {
        if (reauthentication)
        {
            Interlocked.Increment(ref _reauthentications);
        }
        else
        {
            Interlocked.Increment(ref _authentications);
        }
    }

    /// <summary>Counts a failed authentication.</summary>
    public void CountFailure() => Interlocked.Increment(ref _failures);

    private ScramCredential StandIn(string user, ScramMechanism mechanism)
    {
        var salt = HMACSHA256.HashData(_standInSecret, Encoding.UTF8.GetBytes(mechanism.Name + "\0" + user));
        return new ScramCredential(mechanism, salt, RandomNumberGenerator.GetBytes(mechanism.KeyBytes), RandomNumberGenerator.GetBytes(mechanism.KeyBytes), ScramMechanism.MinIterations);
    }
}
