using Freshet.Broker.Security;
using Freshet.Broker.Security.Authorization;
using Freshet.Broker.Security.Sasl;
using Freshet.Log.Topics;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker;

/// <summary>
/// Settings of a <see cref="KafkaBroker"/>. Immutable once the broker is started. The defaults give a
/// single-node broker on <c>127.0.0.1</c> at a free port that creates topics on first use, as Kafka
/// does out of the box.
/// </summary>
public sealed record BrokerOptions
{
    /// <summary>The address to listen on and to advertise in Metadata and FindCoordinator (default <c>127.0.0.1</c>).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The TCP port to listen on; 0 picks a free port (read it back from <see cref="KafkaBroker.Port"/>).</summary>
    public int Port { get; init; }

    /// <summary>
    /// The addresses to accept connections on, each with its security protocol and advertised address (Kafka's
    /// <c>listeners</c> and <c>advertised.listeners</c>). Null (default): one <c>PLAINTEXT</c> listener on
    /// <see cref="Host"/>:<see cref="Port"/>. Names must be unique.
    /// </summary>
    public IReadOnlyList<BrokerListener>? Listeners { get; init; }

    /// <summary>
    /// The certificate TLS listeners (<c>SSL</c>, <c>SASL_SSL</c>) present and how they check client certificates (Kafka's
    /// <c>ssl.*</c> settings, docs/security.md); required when a listener uses TLS, ignored otherwise. Null (default): none.
    /// </summary>
    public TlsOptions? Tls { get; init; }

    /// <summary><see cref="Listeners"/>, or the one plaintext listener on <see cref="Host"/>:<see cref="Port"/>.</summary>
    internal IReadOnlyList<BrokerListener> EffectiveListeners => Listeners ?? [new BrokerListener("PLAINTEXT", SecurityProtocol.Plaintext, Host, Port)];

    /// <summary>
    /// The SASL mechanisms clients of SASL listeners may choose (Kafka's <c>sasl.enabled.mechanisms</c>), from
    /// <see cref="SaslMechanisms.Supported"/>: <c>PLAIN</c>, <c>SCRAM-SHA-256</c>, <c>SCRAM-SHA-512</c>. Default: both SCRAM
    /// mechanisms; PLAIN sends the password itself, so enable it only where the connection is encrypted (SASL_SSL).
    /// Every mechanism checks against the same SCRAM credentials (<see cref="ScramCredentialStore"/>).
    /// </summary>
    public IReadOnlyList<string> SaslEnabledMechanisms { get; init; } = SaslMechanisms.Default;

    /// <summary>
    /// The session lifetime of SASL connections in milliseconds (Kafka's <c>connections.max.reauth.ms</c>, KIP-368); 0
    /// (default) for unlimited. When set, SaslAuthenticate (v1+) tells the client its session lifetime; the client
    /// re-authenticates on the same connection before it ends, and a connection whose session ended without
    /// re-authentication is closed at its next request.
    /// </summary>
    public long ConnectionsMaxReauthMs { get; init; }

    /// <summary>This broker's node id, reported as the only broker, the controller and every coordinator (default 1).</summary>
    public int NodeId { get; init; } = 1;

    /// <summary>
    /// Largest request accepted, in bytes, not counting the 4-byte size prefix (Kafka:
    /// <c>socket.request.max.bytes</c>, default 100 MiB). A larger or negative size closes that connection before
    /// the payload is read.
    /// </summary>
    public int MaxFrameBytes { get; init; } = 100 * 1024 * 1024;

    /// <summary>
    /// The data directory a host opens for this broker (Kafka: <c>log.dirs</c>), as read from a
    /// configuration file by <see cref="Configuration.BrokerConfiguration"/>. <see cref="KafkaBroker.StartAsync"/>
    /// serves the store it is given and does not read this.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// Most bytes of requests read but not yet handled, across all connections (Kafka:
    /// <c>queued.max.request.bytes</c>). A connection takes a request's size from this budget when it reads the
    /// request's size prefix, before buffering it, and gives it back once the request is handled. When none of the
    /// budget is free, connections wait before reading further (their clients see slower answers, never errors);
    /// when some is free, the next request is admitted even if it is larger than what is free, as in Kafka, so the
    /// budget may be passed by at most one request. Zero or less means unbounded (Kafka's default, -1); otherwise it
    /// must be at least <see cref="MaxFrameBytes"/>, as Kafka requires. Default 256 MiB.
    /// </summary>
    public long QueuedMaxRequestBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Connections that receive no bytes and have no request in progress for this many milliseconds are closed
    /// (Kafka: <c>connections.max.idle.ms</c>, default 600000 = 10 minutes). That includes a connection stuck in
    /// the middle of a request frame. A request being handled (a Fetch long poll) does not count as idle.
    /// -1 never closes idle connections.
    /// </summary>
    public long ConnectionsMaxIdleMs { get; init; } = 600_000;

    /// <summary>
    /// Whether a Metadata request naming an unknown topic creates it when the client allows it
    /// (Kafka: <c>auto.create.topics.enable</c>, default true). Metadata is the only way a topic is
    /// created on first use, as in Kafka: Produce, Fetch and ListOffsets for an unknown topic get
    /// UNKNOWN_TOPIC_OR_PARTITION (3), which makes clients send Metadata.
    /// </summary>
    public bool AutoCreateTopics { get; init; } = true;

    /// <summary>Partition count of automatically created topics (Kafka: <c>num.partitions</c>, default 1).</summary>
    public int DefaultPartitions { get; init; } = 1;

    /// <summary>
    /// Configuration of topics created through the broker (automatically or by CreateTopics) before their
    /// own settings are applied; null uses the log store's default topic configuration. Set by the
    /// <c>log.*</c> broker properties. Hosts that open the store should give it the same default
    /// (<c>LogStoreOptions.DefaultTopicConfig</c>), so topics that do not override a setting follow it.
    /// </summary>
    public TopicConfig? DefaultTopicConfig { get; init; }

    /// <summary>
    /// How long <see cref="KafkaBroker.StopAsync"/> waits for in-flight requests to finish before it
    /// closes the remaining connections anyway (default 10 s).
    /// </summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the first rebalance of an empty group waits for more members to join, in milliseconds
    /// (Kafka's <c>group.initial.rebalance.delay.ms</c>, default 3000).
    /// </summary>
    public int GroupInitialRebalanceDelayMs { get; init; } = 3000;

    /// <summary>
    /// The most partitions this broker hosts, all topics together (default 4000). Every partition keeps
    /// at least one file open, so an unbounded CreateTopics could exhaust the process's file handles;
    /// requests that would pass the limit get POLICY_VIOLATION (44). A soft limit: concurrent creations
    /// may pass it by the size of one request.
    /// </summary>
    public int MaxPartitions { get; init; } = 4000;

    /// <summary>
    /// The heartbeat interval members of consumer protocol groups (KIP-848, <c>group.protocol=consumer</c>)
    /// are told to keep, in milliseconds (Kafka's <c>group.consumer.heartbeat.interval.ms</c>, default 5000).
    /// </summary>
    public int ConsumerGroupHeartbeatIntervalMs { get; init; } = 5000;

    /// <summary>
    /// How long a member of a consumer protocol group may go without heartbeating before it is removed
    /// and its partitions reassigned, in milliseconds (Kafka's <c>group.consumer.session.timeout.ms</c>, default 45000).
    /// </summary>
    public int ConsumerGroupSessionTimeoutMs { get; init; } = 45_000;

    /// <summary>
    /// Whether requests are checked against ACLs, and who is exempt (Kafka's <c>authorizer.class.name</c>,
    /// <c>super.users</c>, <c>allow.everyone.if.no.acl.found</c>; docs/security.md). Default
    /// <see cref="AuthorizationOptions.Disabled"/>: every client may do everything and the ACL APIs answer
    /// SECURITY_DISABLED (54).
    /// </summary>
    public AuthorizationOptions Authorization { get; init; } = AuthorizationOptions.Disabled;

    /// <summary>
    /// Where the broker logs (see docs/operations.md): its start and stop, connections opened and closed (Debug),
    /// refused and malformed requests (Warning), consumer group rebalances and fenced transactional producers; null
    /// (default) logs nothing. Nothing is logged per request served. The log store has its own
    /// (<c>LogStoreOptions.LoggerFactory</c>).
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Checks that every value is in range.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("BrokerOptions.Host must name an address to listen on.");
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"BrokerOptions.Port must be between 0 and 65535 (got {Port}).");
        }

        if (Listeners is { Count: 0 })
        {
            throw new ArgumentException("BrokerOptions.Listeners must name at least one listener, or be null for the default PLAINTEXT one.");
        }

        foreach (var listener in EffectiveListeners)
        {
            if (listener.Port is < 0 or > 65535)
            {
                throw new ArgumentException($"Listener {listener.Name}: the port must be between 0 and 65535 (got {listener.Port}).");
            }

            if (listener.Protocol.UsesTls() && Tls is null)
            {
                throw new ArgumentException($"Listener {listener.Name} uses {listener.Protocol.KafkaName()}: give the broker a certificate (BrokerOptions.Tls; ssl.keystore.location).");
            }

            if (listener.AdvertisedPort is < 0 or > 65535)
            {
                throw new ArgumentException($"Listener {listener.Name}: the advertised port must be between 0 and 65535 (got {listener.AdvertisedPort}).");
            }

            if (listener.AdvertisedHost is null && System.Net.IPAddress.TryParse(listener.Host, out var bound) && (bound.Equals(System.Net.IPAddress.Any) || bound.Equals(System.Net.IPAddress.IPv6Any)))
            {
                throw new ArgumentException($"Listener {listener.Name} binds every interface ({listener.Host}), which clients cannot connect to: give it an advertised host (advertised.listeners={listener.Name}://HOST:PORT).");
            }
        }

        if (EffectiveListeners.Select(static l => l.Name).Distinct(StringComparer.Ordinal).Count() != EffectiveListeners.Count)
        {
            throw new ArgumentException("BrokerOptions.Listeners: each listener needs its own name.");
        }

        var ports = EffectiveListeners.Where(static l => l.Port != 0).Select(static l => l.Port).ToList();
        if (ports.Distinct().Count() != ports.Count)
        {
            throw new ArgumentException("BrokerOptions.Listeners: each listener needs its own port (or 0 for a free one).");
        }

        Tls?.Validate();

        if (SaslEnabledMechanisms is null || SaslEnabledMechanisms.Count == 0)
        {
            throw new ArgumentException("BrokerOptions.SaslEnabledMechanisms (sasl.enabled.mechanisms) must name at least one mechanism.");
        }

        foreach (var mechanism in SaslEnabledMechanisms)
        {
            if (!SaslMechanisms.Supported.Contains(mechanism, StringComparer.Ordinal))
            {
                throw new ArgumentException($"BrokerOptions.SaslEnabledMechanisms (sasl.enabled.mechanisms): unsupported SASL mechanism '{mechanism}' (supported: {string.Join(", ", SaslMechanisms.Supported)}).");
            }
        }

        if (SaslEnabledMechanisms.Distinct(StringComparer.Ordinal).Count() != SaslEnabledMechanisms.Count)
        {
            throw new ArgumentException("BrokerOptions.SaslEnabledMechanisms (sasl.enabled.mechanisms) names a mechanism twice.");
        }

        if (ConnectionsMaxReauthMs < 0)
        {
            throw new ArgumentException($"BrokerOptions.ConnectionsMaxReauthMs (connections.max.reauth.ms) must be 0 (unlimited sessions) or positive (got {ConnectionsMaxReauthMs}).");
        }

        if (NodeId < 0)
        {
            throw new ArgumentException($"BrokerOptions.NodeId must be zero or positive (got {NodeId}).");
        }

        if (MaxFrameBytes < 1024)
        {
            throw new ArgumentException($"BrokerOptions.MaxFrameBytes must be at least 1024 (got {MaxFrameBytes}).");
        }

        if (QueuedMaxRequestBytes > 0 && QueuedMaxRequestBytes < MaxFrameBytes)
        {
            throw new ArgumentException($"BrokerOptions.QueuedMaxRequestBytes (queued.max.request.bytes) must be zero or less (unbounded) or at least MaxFrameBytes (socket.request.max.bytes, {MaxFrameBytes}) (got {QueuedMaxRequestBytes}).");
        }

        if (ConnectionsMaxIdleMs is < -1 or 0)
        {
            throw new ArgumentException($"BrokerOptions.ConnectionsMaxIdleMs (connections.max.idle.ms) must be positive, or -1 to never close idle connections (got {ConnectionsMaxIdleMs}).");
        }

        if (DefaultPartitions is < 1 or > TopicPartitionLimit)
        {
            throw new ArgumentException($"BrokerOptions.DefaultPartitions must be between 1 and {TopicPartitionLimit} (got {DefaultPartitions}).");
        }

        if (MaxPartitions < 1)
        {
            throw new ArgumentException($"BrokerOptions.MaxPartitions must be at least 1 (got {MaxPartitions}).");
        }

        if (GroupInitialRebalanceDelayMs < 0)
        {
            throw new ArgumentException($"BrokerOptions.GroupInitialRebalanceDelayMs must not be negative (got {GroupInitialRebalanceDelayMs}).");
        }

        if (ConsumerGroupHeartbeatIntervalMs < 1)
        {
            throw new ArgumentException($"BrokerOptions.ConsumerGroupHeartbeatIntervalMs must be at least 1 (got {ConsumerGroupHeartbeatIntervalMs}).");
        }

        if (ConsumerGroupSessionTimeoutMs <= ConsumerGroupHeartbeatIntervalMs)
        {
            throw new ArgumentException($"BrokerOptions.ConsumerGroupSessionTimeoutMs must be greater than ConsumerGroupHeartbeatIntervalMs (got {ConsumerGroupSessionTimeoutMs}).");
        }

        ArgumentNullException.ThrowIfNull(Authorization, nameof(Authorization));
        if (Authorization.RefreshInterval < TimeSpan.Zero)
        {
            throw new ArgumentException($"BrokerOptions.Authorization.RefreshInterval must not be negative (got {Authorization.RefreshInterval}).");
        }

        if (ShutdownTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException($"BrokerOptions.ShutdownTimeout must not be negative (got {ShutdownTimeout}).");
        }
    }

    private const int TopicPartitionLimit = 100_000;
}
