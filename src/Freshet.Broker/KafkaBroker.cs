using System.Globalization;
using System.Net;
using Freshet.Broker.Cluster;
using Freshet.Broker.Handlers;
using Freshet.Broker.Inspection;
using Freshet.Broker.Logging;
using Freshet.Broker.Metrics;
using Freshet.Broker.Network;
using Freshet.Broker.Security;
using Freshet.Broker.Security.Authorization;
using Freshet.Log;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker;

/// <summary>
/// A single-node Kafka-compatible broker serving a <see cref="LogStore"/> over TCP: any Kafka client
/// (librdkafka, the Java client, kafkajs, kcat) produces to it and consumes from it. See
/// <c>docs/broker.md</c> for the APIs served and how errors are reported.
/// <para>
/// Files it adds to the store's directory: <c>cluster.id</c> (the cluster id Metadata reports, created
/// once), <c>producer-id.next</c> (the end of the reserved producer id block), when ACLs are used
/// <c>acls.json</c> and <c>acls.lock</c> (<see cref="Security.Authorization.AclStore"/>), and when SASL users are
/// added <c>scram-credentials.json</c> and <c>scram-credentials.lock</c> (<see cref="Security.Sasl.ScramCredentialStore"/>). The store stays owned
/// by the caller: stopping the broker flushes it but does not close it.
/// </para>
/// Lifecycle: <see cref="StartAsync"/> binds and starts accepting; <see cref="StopAsync"/> (or
/// <see cref="DisposeAsync"/>) stops accepting, lets every connection finish the request it is handling
/// and write its response, closes the connections and fsyncs the log. Thread-safety: all members are safe
/// from any thread; stopping twice is harmless.
/// </summary>
public sealed class KafkaBroker : IAsyncDisposable
{
    /// <summary>
    /// The name of the broker's <see cref="System.Diagnostics.Metrics.Meter"/>: requests, durations, bytes, errors and
    /// connections (docs/operations.md, "Metrics"). Collect it with, for example, OpenTelemetry's <c>AddMeter(KafkaBroker.MeterName)</c>.
    /// </summary>
    public const string MeterName = "Freshet.Broker";

    private readonly IReadOnlyList<ConnectionListener> _listeners;
    private readonly RequestMemoryBudget _budget;
    private readonly LargeRequestTrimmer _trimmer;
    private readonly LogStore _store;
    private readonly BrokerOptions _options;
    private readonly BrokerServices _services;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _stopLock = new(1, 1);
    private readonly IDisposable _metricsRegistration;
    private readonly BrokerInspector _inspector;
    private bool _stopped;

    private KafkaBroker(IReadOnlyList<ConnectionListener> listeners, RequestMemoryBudget budget, LargeRequestTrimmer trimmer, LogStore store, BrokerOptions options, string clusterId, BrokerServices services)
    {
        _services = services;
        _listeners = listeners;
        _budget = budget;
        _trimmer = trimmer;
        _store = store;
        _options = options;
        _logger = services.LoggerFactory.CreateLogger(BrokerLog.Category);
        ClusterId = clusterId;
        _inspector = new BrokerInspector(services);
        _metricsRegistration = BrokerInstruments.Register(services.Metrics, _inspector);
    }

    /// <summary>The TCP port of the first listener (the one chosen when its port was 0).</summary>
    public int Port => _listeners[0].LocalEndPoint.Port;

    /// <summary>Every listener with the port it is bound to, in the order of <see cref="BrokerOptions.Listeners"/>.</summary>
    public IReadOnlyList<BrokerListener> Listeners => [.. _listeners.Select(static l => l.Settings)];

    /// <summary>The bytes of requests in flight across connections (<see cref="BrokerOptions.QueuedMaxRequestBytes"/>).</summary>
    internal RequestMemoryBudget RequestBudget => _budget;

    /// <summary>SASL authentication and the SCRAM user store (counters of authentications and re-authentications).</summary>
    internal Security.Sasl.SaslServer Sasl => _services.Sasl;

    /// <summary>Number of open client connections, all listeners together.</summary>
    internal int ConnectionCount => _listeners.Sum(static l => l.ConnectionCount);

    /// <summary>The address clients bootstrap from on the first listener: <c>HOST:PORT</c>, for example <c>127.0.0.1:9092</c>.</summary>
    public string BootstrapAddress => BootstrapAddressOf(_listeners[0].Settings.Name);

    /// <summary>The bound address of the listener named <paramref name="listenerName"/>: <c>HOST:PORT</c>.</summary>
    /// <exception cref="ArgumentException">No listener has that name.</exception>
    public string BootstrapAddressOf(string listenerName)
    {
        var listener = _listeners.Select(static l => l.Settings).FirstOrDefault(l => l.Name == listenerName)
            ?? throw new ArgumentException($"The broker has no listener named '{listenerName}'.", nameof(listenerName));
        return string.Create(CultureInfo.InvariantCulture, $"{listener.Host}:{listener.Port}");
    }

    /// <summary>This node's id (the controller and coordinator clients see).</summary>
    public int NodeId => _options.NodeId;

    /// <summary>The cluster id reported in Metadata, stable for the data directory.</summary>
    public string ClusterId { get; }

    /// <summary>
    /// Every topic with its partitions' positions, size (bytes) and segment count, sorted by name (ordinal); the broker's
    /// internal logs (<c>__consumer_offsets</c>, <c>__transaction_state</c>) are included with
    /// <see cref="TopicOverview.IsInternal"/> set. A snapshot for dashboards and tools: positions are read without
    /// taking any lock, so it never delays produce or fetch requests. Safe from any thread, also after the broker stopped
    /// as long as the store is open.
    /// </summary>
    public IReadOnlyList<TopicOverview> DescribeTopics() => _inspector.DescribeTopics();

    /// <summary>
    /// Every consumer group, classic and consumer protocol (KIP-848), including groups that have only committed offsets,
    /// sorted by group id (ordinal): state, members with their assigned partitions, and committed offsets with their lag
    /// in records. Each group is copied under its own lock (as DescribeGroups does); safe from any thread.
    /// </summary>
    public IReadOnlyList<GroupOverview> DescribeGroups() => _inspector.DescribeGroups();

    /// <summary>
    /// The transactions in flight (state <c>Ongoing</c>, <c>PrepareCommit</c> or <c>PrepareAbort</c>), sorted by
    /// transactional id (ordinal); completed and empty transactional ids are left out. One snapshot under the
    /// transaction coordinator's lock; safe from any thread.
    /// </summary>
    public IReadOnlyList<TransactionOverview> DescribeTransactions() => _inspector.DescribeTransactions();

    /// <summary>
    /// Starts a broker on <paramref name="store"/>: reads or creates the cluster id and producer id files,
    /// binds the listener and starts accepting connections.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range, the host is not an IP address, or a TLS file (certificate, key, trust store) is missing or unusable.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The address or port cannot be bound (for example it is in use).</exception>
    /// <exception cref="LogException"><see cref="LogErrorCode.KafkaStorageError"/> if the broker files in the data directory are unreadable.</exception>
    public static Task<KafkaBroker> StartAsync(LogStore store, BrokerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new BrokerOptions();
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var endPoints = new List<(BrokerListener Listener, IPEndPoint EndPoint)>();
        foreach (var listener in options.EffectiveListeners)
        {
            if (!IPAddress.TryParse(listener.Host, out var address))
            {
                throw new ArgumentException($"Listener {listener.Name}: the host to bind must be an IP address (got '{listener.Host}').", nameof(options));
            }

            endPoints.Add((listener, new IPEndPoint(address, listener.Port)));
        }

        // The certificate is read before anything is bound, so a broker with unusable TLS files does not start.
        TlsServer? tls = null;
        if (options.Tls is { } tlsOptions && options.EffectiveListeners.Any(static l => l.Protocol.UsesTls()))
        {
            var loggerFactory = options.LoggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
            tls = new TlsServer(tlsOptions, new TlsCertificateSource(tlsOptions, loggerFactory.CreateLogger(BrokerLog.Category)));
        }

        var clusterId = ClusterIdFile.LoadOrCreate(store.Directory);
        var producerIds = ProducerIdAllocator.Open(store.Directory);
        var authorizer = OpenAuthorizer(store, options);
        var credentials = OpenCredentials(store.Directory);
        var listeners = new List<ConnectionListener>();
        try
        {
            foreach (var (listener, endPoint) in endPoints)
            {
                listeners.Add(new ConnectionListener(listener, endPoint));
            }
        }
        catch
        {
            listeners.ForEach(static l => l.Dispose());
            throw;
        }

        var metrics = new BrokerMetrics(listeners[0].LocalEndPoint.Port, () => listeners.Sum(static l => l.ConnectionCount));
        var services = new BrokerServices(store, options, listeners[0].LocalEndPoint.Port, clusterId, producerIds, metrics, [.. listeners.Select(static l => l.Settings)], authorizer, credentials);
        var budget = new RequestMemoryBudget(options.QueuedMaxRequestBytes);
        var trimmer = new LargeRequestTrimmer();
        var dispatcher = CreateDispatcher(services);
        var connectionsLogger = services.LoggerFactory.CreateLogger(BrokerLog.ConnectionsCategory);
        foreach (var listener in listeners)
        {
            listener.Start(dispatcher, options.MaxFrameBytes, budget, trimmer, options.ConnectionsMaxIdleMs, connectionsLogger, metrics, tls, services.Sasl);
        }

        var broker = new KafkaBroker(listeners, budget, trimmer, store, options, clusterId, services);
        if (broker._logger.IsEnabled(LogLevel.Information))
        {
            broker._logger.BrokerStarted(options.NodeId, clusterId, Describe(broker.Listeners), store.Directory);
        }
        return Task.FromResult(broker);
    }

    /// <summary>
    /// The listeners as a log line shows them: <c>NAME://HOST:PORT</c> with the security protocol when the name is not
    /// one, and the advertised address when it differs, for example
    /// <c>PLAINTEXT://127.0.0.1:9092, EXTERNAL(SSL)://0.0.0.0:9093 advertised as broker.example.com:9093</c>.
    /// </summary>
    internal static string Describe(IReadOnlyList<BrokerListener> listeners) => string.Join(", ", listeners.Select(static l =>
    {
        var protocol = l.Protocol.KafkaName() == l.Name ? "" : "(" + l.Protocol.KafkaName() + ")";
        var address = string.Create(CultureInfo.InvariantCulture, $"{l.Name}{protocol}://{Bracketed(l.Host)}:{l.Port}");
        return l.AdvertisedHostOrBound == l.Host && l.AdvertisedPortOrBound == l.Port
            ? address
            : string.Create(CultureInfo.InvariantCulture, $"{address} advertised as {Bracketed(l.AdvertisedHostOrBound)}:{l.AdvertisedPortOrBound}");
    }));

    private static string Bracketed(string host) => host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host;

    /// <summary>Reads the ACLs before any listener is bound, so a broken ACL file stops the start with its problem named.</summary>
    private static Authorizer OpenAuthorizer(LogStore store, BrokerOptions options)
    {
        try
        {
            return Authorizer.Create(options.Authorization, store.Directory, (options.LoggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger(AuthorizerLog.Category));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new LogException(LogErrorCode.KafkaStorageError, $"The ACLs in {Path.Combine(store.Directory, AclStore.FileName)} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>The SASL users of the data directory, read before anything is bound so a damaged file stops the start cleanly.</summary>
    private static Security.Sasl.ScramCredentialStore OpenCredentials(string directory)
    {
        try
        {
            return new Security.Sasl.ScramCredentialStore(directory);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new LogException(LogErrorCode.KafkaStorageError, $"Cannot read the SASL users of the data directory: {e.Message}", e);
        }
    }

    /// <summary>The handler of every API the broker serves: one line per API key.</summary>
    internal static ApiDispatcher CreateDispatcher(BrokerServices services)
    {
        var dispatcher = new ApiDispatcher();
        dispatcher.Register(new ApiVersionsHandler(dispatcher));
        dispatcher.Register(new MetadataHandler(services));
        dispatcher.Register(new ProduceHandler(services));
        dispatcher.Register(new FetchHandler(services));
        dispatcher.Register(new ListOffsetsHandler(services));
        dispatcher.Register(new FindCoordinatorHandler(services));
        dispatcher.Register(new InitProducerIdHandler(services));
        dispatcher.Register(new AddPartitionsToTxnHandler(services));
        dispatcher.Register(new AddOffsetsToTxnHandler(services));
        dispatcher.Register(new EndTxnHandler(services));
        dispatcher.Register(new TxnOffsetCommitHandler(services));
        dispatcher.Register(new JoinGroupHandler(services));
        dispatcher.Register(new SyncGroupHandler(services));
        dispatcher.Register(new HeartbeatHandler(services));
        dispatcher.Register(new LeaveGroupHandler(services));
        dispatcher.Register(new OffsetCommitHandler(services));
        dispatcher.Register(new OffsetFetchHandler(services));
        dispatcher.Register(new DescribeGroupsHandler(services));
        dispatcher.Register(new ListGroupsHandler(services));
        dispatcher.Register(new CreateTopicsHandler(services));
        dispatcher.Register(new DeleteTopicsHandler(services));
        dispatcher.Register(new CreatePartitionsHandler(services));
        dispatcher.Register(new DescribeConfigsHandler(services));
        dispatcher.Register(new DescribeClusterHandler(services));
        dispatcher.Register(new DescribeProducersHandler(services));
        dispatcher.Register(new DescribeTransactionsHandler(services));
        dispatcher.Register(new ListTransactionsHandler(services));
        dispatcher.Register(new OffsetForLeaderEpochHandler(services));
        dispatcher.Register(new DeleteRecordsHandler(services));
        dispatcher.Register(new DeleteGroupsHandler(services));
        dispatcher.Register(new OffsetDeleteHandler(services));
        var topicConfigs = new TopicConfigOverrides(services);
        dispatcher.Register(new AlterConfigsHandler(topicConfigs, services.Authorizer));
        dispatcher.Register(new IncrementalAlterConfigsHandler(topicConfigs, services.Authorizer));
        dispatcher.Register(new ConsumerGroupHeartbeatHandler(services));
        dispatcher.Register(new ConsumerGroupDescribeHandler(services));
        dispatcher.Register(new DescribeAclsHandler(services));
        dispatcher.Register(new CreateAclsHandler(services));
        dispatcher.Register(new DeleteAclsHandler(services));
        dispatcher.Register(new SaslHandshakeHandler());
        dispatcher.Register(new SaslAuthenticateHandler());
        dispatcher.Register(new DescribeUserScramCredentialsHandler(services));
        dispatcher.Register(new AlterUserScramCredentialsHandler(services));
        return dispatcher;
    }

    /// <summary>
    /// Stops the broker gracefully: no new connections; each connection finishes its request in flight
    /// (long polls answer at once) and is closed; connections still busy after
    /// <see cref="BrokerOptions.ShutdownTimeout"/> are closed abruptly; then the log is fsynced.
    /// </summary>
    public async Task StopAsync()
    {
        await _stopLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            await Task.WhenAll(_listeners.Select(l => l.StopAsync(_options.ShutdownTimeout))).ConfigureAwait(false);
            _trimmer.Dispose();
            _metricsRegistration.Dispose();
            await _services.Groups.DisposeAsync().ConfigureAwait(false);
            await _services.ConsumerGroups.DisposeAsync().ConfigureAwait(false);
            try
            {
                _store.Flush();
            }
            catch (ObjectDisposedException)
            {
                // The caller closed the store first; closing flushed it.
            }

            _logger.BrokerStopped(_options.NodeId);
        }
        finally
        {
            _stopLock.Release();
        }
    }

    /// <summary>Same as <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
