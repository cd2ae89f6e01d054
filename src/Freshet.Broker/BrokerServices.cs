using Freshet.Broker.Cluster;
using Freshet.Broker.Groups;
using Freshet.Broker.Groups.ConsumerProtocol;
using Freshet.Broker.Handlers;
using Freshet.Broker.Logging;
using Freshet.Broker.Metrics;
using Freshet.Broker.Security;
using Freshet.Broker.Security.Authorization;
using Freshet.Broker.Security.Sasl;
using Freshet.Log;
using Freshet.Log.Topics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Broker;

/// <summary>
/// What every handler may use: the log store, this node's identity and advertised address, the
/// cluster id, the producer id allocator and the append signal. Created once per broker, after the
/// listener is bound (so the advertised port is known). Immutable apart from the thread-safe services
/// it holds; safe from any thread.
/// </summary>
internal sealed class BrokerServices
{
    /// <param name="metrics">Where requests are counted; default: tagged with <paramref name="port"/>, no open connections observed.</param>
    /// <param name="listeners">The listeners with their bound ports; default: the options' listeners, the first on <paramref name="port"/>.</param>
    /// <param name="authorizer">The ACL checks; default: the one <see cref="BrokerOptions.Authorization"/> describes, on the store's directory.</param>
    /// <param name="credentials">The SASL users; default: those of the store's directory.</param>
    public BrokerServices(LogStore store, BrokerOptions options, int port, string clusterId, ProducerIdAllocator producerIds, BrokerMetrics? metrics = null, IReadOnlyList<BrokerListener>? listeners = null, Authorizer? authorizer = null, ScramCredentialStore? credentials = null)
    {
        Listeners = listeners ?? [.. options.EffectiveListeners.Select((l, i) => i == 0 ? l with { Port = port } : l)];
        Metrics = metrics ?? new BrokerMetrics(port, static () => 0);
        Store = store;
        Options = options;
        Port = port;
        ClusterId = clusterId;
        ProducerIds = producerIds;
        LoggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        TransactionsLogger = LoggerFactory.CreateLogger(BrokerLog.TransactionsCategory);
        AuthorizationLogger = LoggerFactory.CreateLogger(AuthorizerLog.Category);
        Authorizer = authorizer ?? Authorizer.Create(options.Authorization, store.Directory, AuthorizationLogger);
        Groups = new GroupCoordinator(store.Options.Clock, options.GroupInitialRebalanceDelayMs, store.GroupOffsets, logger: LoggerFactory.CreateLogger(BrokerLog.GroupsCategory));
        Sasl = new SaslServer(credentials ?? new ScramCredentialStore(store.Directory), options.SaslEnabledMechanisms, options.ConnectionsMaxReauthMs, LoggerFactory.CreateLogger(SaslLog.Category));
        ConsumerGroups = new ConsumerProtocolCoordinator(store, Groups, new ConsumerProtocolSettings(options.ConsumerGroupHeartbeatIntervalMs, options.ConsumerGroupSessionTimeoutMs), store.Options.Clock);
    }

    /// <summary>The broker's side of the <c>Freshet.Broker</c> meter.</summary>
    public BrokerMetrics Metrics { get; }

    /// <summary><see cref="BrokerOptions.LoggerFactory"/>, or the factory that discards everything.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Logs epoch bumps of transactional ids and requests refused to fenced producers.</summary>
    public ILogger TransactionsLogger { get; }

    /// <summary>Decides every request's access to topics, groups, transactional ids and the cluster (allows everything when authorization is off).</summary>
    public Authorizer Authorizer { get; }

    /// <summary>Logs ACL changes made through the ACL APIs and reloads of the ACL file.</summary>
    public ILogger AuthorizationLogger { get; }

    /// <summary>The log the broker serves.</summary>
    public LogStore Store { get; }

    /// <summary>The broker's settings.</summary>
    public BrokerOptions Options { get; }

    /// <summary>This node's id: the only broker, the controller, every partition's leader and every coordinator.</summary>
    public int NodeId => Options.NodeId;

    /// <summary>The port the first listener is bound to.</summary>
    public int Port { get; }

    /// <summary>Every listener with its bound port, in the order of <see cref="BrokerOptions.Listeners"/>.</summary>
    public IReadOnlyList<BrokerListener> Listeners { get; }

    /// <summary>
    /// The address this node is advertised at to the client of <paramref name="context"/>: the advertised address of the
    /// listener its connection came in on (Kafka's <c>advertised.listeners</c>), so a client stays on the listener, and
    /// the security protocol, it bootstrapped from. Requests handled outside a connection get the first listener's.
    /// </summary>
    public (string Host, int Port) AdvertisedAddress(RequestContext context)
    {
        var listener = context.Listener ?? Listeners[0];
        return (listener.AdvertisedHostOrBound, listener.AdvertisedPortOrBound);
    }

    /// <summary>The cluster id, stable for the data directory.</summary>
    public string ClusterId { get; }

    /// <summary>Producer ids for InitProducerId, never reused.</summary>
    public ProducerIdAllocator ProducerIds { get; }

    /// <summary>SASL authentication of SASL listeners' connections and the SCRAM user store of the data directory.</summary>
    public SaslServer Sasl { get; }

    /// <summary>The classic consumer group coordinator (offsets and group metadata in the log).</summary>
    public GroupCoordinator Groups { get; }

    /// <summary>The coordinator of consumer protocol groups (KIP-848).</summary>
    public ConsumerProtocolCoordinator ConsumerGroups { get; }

    /// <summary>Why the broker may not host <paramref name="additional"/> more partitions (<see cref="BrokerOptions.MaxPartitions"/>), or null if it may.</summary>
    public string? PartitionLimitProblem(int additional)
    {
        var current = Store.PartitionCount;
        return additional > 0 && (long)current + additional > Options.MaxPartitions
            ? $"This broker hosts {current} partitions; {additional} more would pass its limit of {Options.MaxPartitions} (BrokerOptions.MaxPartitions)."
            : null;
    }

    /// <summary>Wakes Fetch long polls after appends.</summary>
    public AppendSignal Appended { get; } = new();

    /// <summary>Configuration of automatically created topics.</summary>
    public TopicConfig DefaultTopicConfig => Options.DefaultTopicConfig ?? Store.Options.DefaultTopicConfig;
}
