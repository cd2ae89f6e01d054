using System.Collections.Concurrent;
using Freshet.Log.Groups;
using Freshet.Log.Logging;
using Freshet.Log.Metrics;
using Freshet.Log.Partitions;
using Freshet.Log.Topics;
using Freshet.Log.Transactions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Log;

/// <summary>
/// The embedded, durable, partitioned log: a directory of topics, each split into partitions of
/// append-only segment files in Kafka's RecordBatch v2 format (see <c>docs/log-format.md</c>).
/// <para>
/// Layout: <c>DIR/freshet.lock</c> (held while open, so one process owns the directory),
/// <c>DIR/topics/NAME/topic.json</c> and <c>DIR/topics/NAME/P/</c> segment files per partition,
/// <c>DIR/internal/__consumer_offsets/0/</c> for <see cref="GroupOffsets"/> and
/// <c>DIR/internal/__transaction_state/0/</c> for <see cref="Transactions"/> (not topics: they are not
/// listed, described or deletable through the topic API).
/// </para>
/// <para>
/// Opening recovers every partition: the last segment of each is checked batch by batch and
/// truncated at the first invalid batch; missing or inconsistent indexes are rebuilt. What was
/// repaired is listed in <see cref="RecoveryReport"/> and logged to <see cref="LogStoreOptions.LoggerFactory"/>.
/// </para>
/// Thread-safety: all members are safe to call from any thread. Topic administration is serialized
/// by one lock; appends are serialized per partition; reads run concurrently.
/// </summary>
public sealed class LogStore : IDisposable
{
    /// <summary>
    /// The name of the log's <see cref="System.Diagnostics.Metrics.Meter"/>: every open store's partitions, their offsets,
    /// sizes and segment counts (docs/operations.md, "Metrics"). Collect it with, for example, OpenTelemetry's
    /// <c>AddMeter(LogStore.MeterName)</c>.
    /// </summary>
    public const string MeterName = "Freshet.Log";

    private const string LockFileName = "freshet.lock";
    private const string TopicsDirectoryName = "topics";
    private const string DeletedTopicPrefix = ".deleted-";
    private const string InternalDirectoryName = "internal";

    private readonly ConcurrentDictionary<string, TopicLog> _topics = new(StringComparer.Ordinal);
    private readonly object _adminLock = new();
    private readonly FileStream _lockFile;
    private readonly string _topicsDirectory;
    private readonly List<string> _recoveryReport = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task? _maintenanceLoop;
    private readonly Task? _flushLoop;
    private readonly GroupOffsetStore _groupOffsets;
    private readonly TransactionCoordinator _transactions;
    private readonly ILogger _logger;
    private readonly IDisposable _metricsRegistration;
    private int _disposed;

    private LogStore(string directory, LogStoreOptions options, FileStream lockFile)
    {
        Directory = directory;
        Options = options;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger(LogStoreLog.Category);
        _lockFile = lockFile;
        _topicsDirectory = Path.Combine(directory, TopicsDirectoryName);
        System.IO.Directory.CreateDirectory(_topicsDirectory);
        try
        {
            OpenTopics();
            var offsetsDirectory = Path.Combine(directory, InternalDirectoryName, GroupOffsetStore.LogName, "0");
            _groupOffsets = GroupOffsetStore.Open(offsetsDirectory, options.Clock, options.FileDeleteDelayMs, _recoveryReport);
            try
            {
                var transactionsDirectory = Path.Combine(directory, InternalDirectoryName, TransactionCoordinator.LogName, "0");
                _transactions = TransactionCoordinator.Open(
                    transactionsDirectory,
                    options.Clock,
                    options.FileDeleteDelayMs,
                    _groupOffsets,
                    (topic, partition) => TryGetPartition(topic, partition, out var found) ? found : null,
                    _topics.Values.SelectMany(topic => topic.Partitions).ToArray(),
                    _recoveryReport);
            }
            catch
            {
                _groupOffsets.Close();
                throw;
            }
        }
        catch
        {
            CloseTopics();
            throw;
        }

        LogRecovery();
        _metricsRegistration = LogInstruments.Register(this);
        if (options.BackgroundMaintenance)
        {
            _maintenanceLoop = Task.Run(() => RunPeriodicallyAsync(options.MaintenanceInterval, RunMaintenance));
            _flushLoop = Task.Run(() => RunPeriodicallyAsync(options.FlushCheckInterval, FlushDuePartitions));
        }
    }

    /// <summary>The directory this store owns.</summary>
    public string Directory { get; }

    /// <summary>The options the store was opened with.</summary>
    public LogStoreOptions Options { get; }

    /// <summary>Consumer groups' committed offsets, stored durably in this directory.</summary>
    public GroupOffsetStore GroupOffsets => _groupOffsets;

    /// <summary>
    /// The transaction coordinator: transactional ids, producer epochs and fencing, COMMIT/ABORT markers,
    /// transactional group offsets (Kafka's transactions; see <c>docs/log-format.md</c>).
    /// </summary>
    public TransactionCoordinator Transactions => _transactions;

    /// <summary>One line for each problem found and repaired when the store was opened (truncations, rebuilt indexes, corrupt sealed segments).</summary>
    public IReadOnlyList<string> RecoveryReport => _recoveryReport;

    /// <summary>
    /// Opens the store in <paramref name="directory"/>, creating it if needed, and recovers every partition.
    /// </summary>
    /// <exception cref="LogException"><see cref="LogErrorCode.KafkaStorageError"/> if another process holds the directory or its metadata is unreadable.</exception>
    public static LogStore Open(string directory, LogStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var fullPath = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(fullPath);
        FileStream lockFile;
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix; the kernel releases it if the process dies.
            lockFile = new FileStream(Path.Combine(fullPath, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new LogException(LogErrorCode.KafkaStorageError, $"The data directory '{fullPath}' is in use by another process.", e);
        }

        try
        {
            return new LogStore(fullPath, options ?? new LogStoreOptions(), lockFile);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Logs what opening found and repaired: a structured event per truncated segment, one per other report line.</summary>
    private void LogRecovery()
    {
        var partitions = _topics.Values.SelectMany(static topic => topic.Partitions).Append(_groupOffsets.Log).Append(_transactions.Log);
        var truncationLines = new HashSet<string>(StringComparer.Ordinal);
        foreach (var partition in partitions)
        {
            if (partition.RecoveryTruncation is { } truncation)
            {
                var name = $"{partition.Topic}-{partition.Id}";
                truncationLines.Add(Partition.DescribeTruncation(name, truncation));
                _logger.SegmentTruncated(name, truncation.FilePath, truncation.Position, truncation.DroppedBytes, truncation.Reason);
            }
        }

        foreach (var line in _recoveryReport)
        {
            if (!truncationLines.Contains(line))
            {
                _logger.RecoveryRepaired(Directory, line);
            }
        }

        _logger.LogStoreOpened(Directory, _topics.Count, PartitionCount, _recoveryReport.Count);
    }

    private void OpenTopics()
    {
        foreach (var topicDirectory in System.IO.Directory.EnumerateDirectories(_topicsDirectory))
        {
            var name = Path.GetFileName(topicDirectory);
            if (name.StartsWith(DeletedTopicPrefix, StringComparison.Ordinal))
            {
                System.IO.Directory.Delete(topicDirectory, recursive: true);
                continue;
            }

            if (!File.Exists(Path.Combine(topicDirectory, TopicLog.MetadataFileName)))
            {
                _recoveryReport.Add($"ignored '{topicDirectory}': it has no {TopicLog.MetadataFileName} (an interrupted topic creation).");
                continue;
            }

            var topic = TopicLog.Open(topicDirectory, Options.Clock, Options.FileDeleteDelayMs, _recoveryReport);
            _topics[topic.Name] = topic;
        }
    }

    /// <summary>Creates a topic with <paramref name="partitions"/> partitions.</summary>
    /// <exception cref="LogException"><see cref="LogErrorCode.TopicAlreadyExists"/>, <see cref="LogErrorCode.InvalidTopic"/>,
    /// <see cref="LogErrorCode.InvalidPartitions"/> or <see cref="LogErrorCode.InvalidConfig"/>.</exception>
    public TopicDescription CreateTopic(string name, int partitions, TopicConfig? config = null) =>
        CreateTopic(name, partitions, config ?? Options.DefaultTopicConfig, Options.DefaultTopicConfig, []);

    /// <summary>
    /// Creates a topic whose configuration was made from <paramref name="defaults"/> (a broker's default
    /// topic configuration) and the settings named in <paramref name="chosen"/>: those, and any other
    /// setting that differs from the defaults, are recorded as the topic's own (Kafka's TOPIC_CONFIG).
    /// </summary>
    internal TopicDescription CreateTopic(string name, int partitions, TopicConfig config, TopicConfig defaults, IEnumerable<string> chosen)
    {
        var problem = TopicNames.Check(name);
        if (problem is not null)
        {
            throw new LogException(LogErrorCode.InvalidTopic, $"Cannot create the topic: {problem}.");
        }

        if (partitions < 1 || partitions > 100_000)
        {
            throw new LogException(LogErrorCode.InvalidPartitions, $"Cannot create topic '{name}' with {partitions} partitions: the count must be between 1 and 100000.");
        }

        config.Validate();
        lock (_adminLock)
        {
            ThrowIfDisposed();
            if (_topics.ContainsKey(name))
            {
                throw new LogException(LogErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.");
            }

            var topic = TopicLog.Create(Path.Combine(_topicsDirectory, name), name, partitions, config, config.OverridesOf(defaults).Keys.Union(chosen, StringComparer.Ordinal), Options.Clock, Options.FileDeleteDelayMs);
            _topics[name] = topic;
            return topic.Describe();
        }
    }

    /// <summary>The number of partitions of all topics together (internal ones excluded).</summary>
    public int PartitionCount
    {
        get
        {
            var count = 0;
            foreach (var topic in _topics.Values)
            {
                count += topic.Partitions.Length;
            }

            return count;
        }
    }

    /// <summary>The names of all topics, sorted.</summary>
    public IReadOnlyList<string> ListTopics() => _topics.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Describes a topic, or returns false if it does not exist.</summary>
    public bool TryDescribeTopic(string name, out TopicDescription description)
    {
        if (_topics.TryGetValue(name, out var topic))
        {
            description = topic.Describe();
            return true;
        }

        description = null!;
        return false;
    }

    /// <summary>Describes a topic.</summary>
    /// <exception cref="LogException"><see cref="LogErrorCode.UnknownTopicOrPartition"/> if it does not exist.</exception>
    public TopicDescription DescribeTopic(string name) => GetTopic(name).Describe();

    /// <summary>Deletes a topic and all its data, and every group's committed offsets in it. Readers and appenders still holding its partitions get errors.</summary>
    /// <exception cref="LogException"><see cref="LogErrorCode.UnknownTopicOrPartition"/> if it does not exist.</exception>
    public void DeleteTopic(string name)
    {
        lock (_adminLock)
        {
            ThrowIfDisposed();
            if (!_topics.TryRemove(name, out var topic))
            {
                throw UnknownTopic(name);
            }

            topic.Close();

            // Rename first so a crash mid-delete never leaves a half-deleted topic that reopens.
            var doomed = Path.Combine(_topicsDirectory, DeletedTopicPrefix + name + "-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.Move(topic.Directory, doomed);
            Segments.SegmentFiles.FsyncDirectory(_topicsDirectory);
            System.IO.Directory.Delete(doomed, recursive: true);

            // As Kafka does: a topic created later under the same name must not inherit the groups' positions.
            _groupOffsets.DeleteTopicOffsets(name);
        }
    }

    /// <summary>Raises a topic's partition count to <paramref name="totalPartitions"/> (partitions are never removed).</summary>
    public TopicDescription CreatePartitions(string name, int totalPartitions)
    {
        lock (_adminLock)
        {
            ThrowIfDisposed();
            var topic = GetTopic(name);
            var current = topic.Partitions.Length;
            if (totalPartitions <= current || totalPartitions > 100_000)
            {
                throw new LogException(LogErrorCode.InvalidPartitions, $"Topic '{name}' has {current} partitions; the new count must be larger (got {totalPartitions}).");
            }

            topic.AddPartitions(totalPartitions, Options.Clock, Options.FileDeleteDelayMs);
            return topic.Describe();
        }
    }

    /// <summary>Changes some of a topic's settings (Kafka names, for example <c>retention.ms</c>); the rest keep their values.</summary>
    public TopicDescription AlterTopicConfig(string name, IEnumerable<KeyValuePair<string, string>> settings)
    {
        lock (_adminLock)
        {
            ThrowIfDisposed();
            var topic = GetTopic(name);
            var given = settings.ToList();
            topic.SetConfig(topic.Config.With(given), given.Select(setting => setting.Key));
            return topic.Describe();
        }
    }

    /// <summary>
    /// Replaces a topic's whole configuration (Kafka's AlterConfigs): it becomes <paramref name="defaults"/> with
    /// <paramref name="overrides"/> applied, and exactly the names in <paramref name="overrides"/> are the topic's
    /// own settings from then on; every other setting returns to its default.
    /// </summary>
    /// <exception cref="LogException"><see cref="LogErrorCode.UnknownTopicOrPartition"/> if the topic does not exist;
    /// <see cref="LogErrorCode.InvalidConfig"/> for an unknown name or a bad value (nothing is changed).</exception>
    public TopicDescription ReplaceTopicConfig(string name, IEnumerable<KeyValuePair<string, string>> overrides, TopicConfig defaults)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(defaults);
        lock (_adminLock)
        {
            ThrowIfDisposed();
            var topic = GetTopic(name);
            var given = overrides.ToList();
            topic.ReplaceConfig(defaults.With(given), given.Select(setting => setting.Key));
            return topic.Describe();
        }
    }

    /// <summary>Returns a partition for appending and reading.</summary>
    /// <exception cref="LogException"><see cref="LogErrorCode.UnknownTopicOrPartition"/> if the topic or partition does not exist.</exception>
    public Partition GetPartition(string topic, int partition) =>
        TryGetPartition(topic, partition, out var result)
            ? result
            : throw new LogException(LogErrorCode.UnknownTopicOrPartition, $"Partition {topic}-{partition} does not exist.");

    /// <summary>Returns a partition, or false if the topic or partition does not exist.</summary>
    public bool TryGetPartition(string topic, int partition, out Partition result)
    {
        if (_topics.TryGetValue(topic, out var log) && (uint)partition < (uint)log.Partitions.Length)
        {
            result = log.Partitions[partition];
            return true;
        }

        result = null!;
        return false;
    }

    /// <summary>
    /// Aborts transactions open longer than their timeout, then applies retention (and compaction, for
    /// compacted topics) to every partition now. The background loop calls this periodically.
    /// </summary>
    public void RunMaintenance()
    {
        try
        {
            _transactions.AbortTimedOutTransactions();
        }
        catch (Exception e) when (e is IOException or LogException or UnauthorizedAccessException)
        {
            _logger.TransactionTimeoutCheckFailed(e);
        }

        foreach (var topic in _topics.Values)
        {
            foreach (var partition in topic.Partitions)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    partition.ApplyRetention();
                    CompactQuietly(partition);
                }
                catch (ObjectDisposedException)
                {
                    // The topic was deleted meanwhile.
                }
            }
        }

        if (!_stopping.IsCancellationRequested)
        {
            CompactQuietly(_groupOffsets.Log);
            CompactQuietly(_transactions.Log);
        }
    }

    /// <summary>
    /// Compacts one partition if its topic is compacted. A failure (an unreadable segment) is logged
    /// and does not stop maintenance of the other partitions; the next run retries.
    /// </summary>
    private void CompactQuietly(Partition partition)
    {
        try
        {
            partition.Compact(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (Exception e) when (e is IOException or LogException or UnauthorizedAccessException)
        {
            _logger.CompactionFailed(e, $"{partition.Topic}-{partition.Id}");
        }
    }

    /// <summary>fsyncs every partition.</summary>
    public void Flush()
    {
        foreach (var topic in _topics.Values)
        {
            foreach (var partition in topic.Partitions)
            {
                partition.Flush();
            }
        }

        _groupOffsets.Log.Flush();
        _transactions.Log.Flush();
    }

    private void FlushDuePartitions()
    {
        foreach (var topic in _topics.Values)
        {
            foreach (var partition in topic.Partitions)
            {
                try
                {
                    partition.FlushIfDue();
                }
                catch (ObjectDisposedException)
                {
                    // The topic was deleted meanwhile.
                }
            }
        }
    }

    private async Task RunPeriodicallyAsync(TimeSpan interval, Action work)
    {
        using var timer = new PeriodicTimer(interval, Options.Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    work();
                }
                catch (Exception e) when (e is IOException or LogException or UnauthorizedAccessException)
                {
                    // Background maintenance must not take the process down; the next tick retries.
                    _logger.MaintenanceFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Every partition of every topic, then the internal partitions (group offsets, transaction state).</summary>
    internal IEnumerable<Partition> AllPartitions()
    {
        foreach (var topic in _topics.Values)
        {
            foreach (var partition in topic.Partitions)
            {
                yield return partition;
            }
        }

        yield return _groupOffsets.Log;
        yield return _transactions.Log;
    }

    private TopicLog GetTopic(string name) => _topics.TryGetValue(name, out var topic) ? topic : throw UnknownTopic(name);

    private static LogException UnknownTopic(string name) => new(LogErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private void CloseTopics()
    {
        foreach (var topic in _topics.Values)
        {
            topic.Close();
        }

        _topics.Clear();
    }

    /// <summary>Stops background work, flushes every partition, writes indexes and snapshots, and releases the directory.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _metricsRegistration.Dispose();
        _stopping.Cancel();
        try
        {
            Task.WaitAll([.. new[] { _maintenanceLoop, _flushLoop }.OfType<Task>()], TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // Loops swallow their own errors; nothing to add here.
        }

        lock (_adminLock)
        {
            CloseTopics();
            _groupOffsets.Close();
            _transactions.Close();
        }

        _stopping.Dispose();
        _lockFile.Dispose();
    }
}
