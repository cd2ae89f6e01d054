using System.Globalization;
using System.Net;
using Freshet.Broker.Cluster;
using Freshet.Broker.Handlers;
using Freshet.Broker.Inspection;
using Freshet.Broker.Logging;
using Freshet.Broker.Metrics;
using Freshet.Broker.Network;
using Freshet.Log;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker;

/// <summary>
/// A single-node Kafka-compatible broker serving a <see cref="LogStore"/> over TCP: any Kafka client
/// (librdkafka, the Java client, kafkajs, kcat) produces to it and consumes from it. See
/// <c>docs/broker.md</c> for the APIs served and how errors are reported.
/// <para>
/// Files it adds to the store's directory: <c>cluster.id</c> (the cluster id Metadata reports, created
/// once) and <c>producer-id.next</c> (the end of the reserved producer id block). The store stays owned
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

    private readonly ConnectionListener _listener;
    private readonly LogStore _store;
    private readonly BrokerOptions _options;
    private readonly BrokerServices _services;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _stopLock = new(1, 1);
    private readonly IDisposable _metricsRegistration;
    private readonly BrokerInspector _inspector;
    private bool _stopped;

    private KafkaBroker(ConnectionListener listener, LogStore store, BrokerOptions options, string clusterId, BrokerServices services)
    {
        _services = services;
        _listener = listener;
        _store = store;
        _options = options;
        _logger = services.LoggerFactory.CreateLogger(BrokerLog.Category);
        ClusterId = clusterId;
        _inspector = new BrokerInspector(services);
        _metricsRegistration = BrokerInstruments.Register(services.Metrics, _inspector);
    }

    /// <summary>The TCP port the broker listens on (the one chosen when <see cref="BrokerOptions.Port"/> was 0).</summary>
    public int Port => _listener.LocalEndPoint.Port;

    /// <summary>The bytes of requests in flight across connections (<see cref="BrokerOptions.QueuedMaxRequestBytes"/>).</summary>
    internal Network.RequestMemoryBudget RequestBudget => _listener.Budget;

    /// <summary>Number of open client connections.</summary>
    internal int ConnectionCount => _listener.ConnectionCount;

    /// <summary>The address clients bootstrap from: <c>HOST:PORT</c>, for example <c>127.0.0.1:9092</c>.</summary>
    public string BootstrapAddress => string.Create(CultureInfo.InvariantCulture, $"{_options.Host}:{Port}");

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
    /// <exception cref="ArgumentException">An option is out of range, or the host is not an IP address.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The address or port cannot be bound (for example it is in use).</exception>
    /// <exception cref="LogException"><see cref="LogErrorCode.KafkaStorageError"/> if the broker files in the data directory are unreadable.</exception>
    public static Task<KafkaBroker> StartAsync(LogStore store, BrokerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new BrokerOptions();
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        if (!IPAddress.TryParse(options.Host, out var address))
        {
            throw new ArgumentException($"BrokerOptions.Host must be an IP address (got '{options.Host}').", nameof(options));
        }

        var clusterId = ClusterIdFile.LoadOrCreate(store.Directory);
        var producerIds = ProducerIdAllocator.Open(store.Directory);
        var listener = new ConnectionListener(new IPEndPoint(address, options.Port));
        var metrics = new BrokerMetrics(listener.LocalEndPoint.Port, () => listener.ConnectionCount);
        var services = new BrokerServices(store, options, listener.LocalEndPoint.Port, clusterId, producerIds, metrics);
        listener.Start(CreateDispatcher(services), options.MaxFrameBytes, options.QueuedMaxRequestBytes, options.ConnectionsMaxIdleMs, services.LoggerFactory.CreateLogger(BrokerLog.ConnectionsCategory), metrics);
        var broker = new KafkaBroker(listener, store, options, clusterId, services);
        broker._logger.BrokerStarted(options.NodeId, clusterId, options.Host, broker.Port, store.Directory);
        return Task.FromResult(broker);
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
        dispatcher.Register(new AlterConfigsHandler(topicConfigs));
        dispatcher.Register(new IncrementalAlterConfigsHandler(topicConfigs));
        dispatcher.Register(new ConsumerGroupHeartbeatHandler(services));
        dispatcher.Register(new ConsumerGroupDescribeHandler(services));
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
            await _listener.StopAsync(_options.ShutdownTimeout).ConfigureAwait(false);
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
