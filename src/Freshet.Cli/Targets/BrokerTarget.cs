using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Shared;

namespace Freshet.Cli.Targets;

/// <summary>
/// Topics, produce and consume against a Kafka-protocol broker (<c>freshet broker</c>, Apache Kafka, Redpanda) with
/// Confluent.Kafka. Timeouts are short so that an unreachable broker is reported within seconds.
/// </summary>
internal sealed class BrokerTarget : ILogTarget
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private readonly string _bootstrap;
    private readonly Lazy<IAdminClient> _admin;

    public BrokerTarget(string bootstrapServers)
    {
        EnsureKafkaClientLoaded();
        _bootstrap = bootstrapServers;
        _admin = new Lazy<IAdminClient>(() => new AdminClientBuilder(Common()).SetLogHandler(static (_, _) => { }).Build());
    }

    /// <summary>
    /// The client settings every command's clients share: short socket and connection timeouts so that an unreachable
    /// broker is reported within seconds, and no topic created as a side effect of a metadata request.
    /// </summary>
    public static ClientConfig ClientConfig(string bootstrapServers) => new()
    {
        BootstrapServers = bootstrapServers,
        SocketTimeoutMs = 5_000,
        SocketConnectionSetupTimeoutMs = 5_000,
        ReconnectBackoffMaxMs = 1_000,
        AllowAutoCreateTopics = false,
    };

    /// <summary>Loads librdkafka, or fails with one sentence.</summary>
    /// <exception cref="CliException">No build of librdkafka loads on this machine.</exception>
    public static void EnsureKafkaClientLoaded()
    {
        try
        {
            KafkaNativeLibrary.EnsureLoaded();
        }
        catch (DllNotFoundException e)
        {
            throw new CliException($"Cannot load librdkafka, the Kafka client library: {e.Message}", e);
        }
    }

    public IReadOnlyList<string> ListTopics() =>
        Metadata(null).Topics.Where(t => t.Error.Code == ErrorCode.NoError && !t.Topic.StartsWith("__", StringComparison.Ordinal)).Select(t => t.Topic).Order(StringComparer.Ordinal).ToArray();

    public void CreateTopic(string name, int partitions, IReadOnlyDictionary<string, string> config) => Await(() => _admin.Value.CreateTopicsAsync(
        [new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = 1, Configs = config.ToDictionary() }],
        new CreateTopicsOptions { RequestTimeout = RequestTimeout, OperationTimeout = RequestTimeout }));

    public TopicInfo DescribeTopic(string name)
    {
        var topic = Metadata(name).Topics.SingleOrDefault(t => t.Topic == name);
        if (topic is null || topic.Error.Code != ErrorCode.NoError)
        {
            throw new CliException($"Topic '{name}' does not exist ({topic?.Error.Reason ?? "not in the broker's metadata"}).");
        }

        using var consumer = NewConsumer(group: null);
        var partitions = topic.Partitions.OrderBy(p => p.PartitionId).Select(p =>
        {
            var offsets = consumer.QueryWatermarkOffsets(new TopicPartition(name, p.PartitionId), RequestTimeout);
            return new PartitionInfo(p.PartitionId, offsets.Low.Value, offsets.High.Value);
        }).ToArray();
        var configs = Await(() => _admin.Value.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = name }], new DescribeConfigsOptions { RequestTimeout = RequestTimeout }));
        var config = configs.SelectMany(c => c.Entries.Values).ToDictionary(e => e.Name, e => e.Value ?? string.Empty, StringComparer.Ordinal);
        return new TopicInfo(name, partitions, config);
    }

    public void DeleteTopic(string name) => Await(() => _admin.Value.DeleteTopicsAsync([name], new DeleteTopicsOptions { RequestTimeout = RequestTimeout, OperationTimeout = RequestTimeout }));

    public long Produce(string topic, IEnumerable<(byte[]? Key, byte[] Value)> records)
    {
        var config = new ProducerConfig(Common())
        {
            Acks = Acks.All,
            EnableIdempotence = true,
            MessageTimeoutMs = 15_000,
            LingerMs = 5,
            Partitioner = Partitioner.Murmur2Random,
        };
        using var producer = new ProducerBuilder<byte[]?, byte[]>(config).SetLogHandler(static (_, _) => { }).Build();
        long sent = 0;
        Error? failure = null;
        foreach (var (key, value) in records)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<byte[]?, byte[]> { Key = key, Value = value }, report =>
                    {
                        if (report.Error.IsError)
                        {
                            failure ??= report.Error;
                        }
                    });
                    break;
                }
                catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(100));
                }
            }

            sent++;
            if (failure is not null)
            {
                break;
            }
        }

        producer.Flush(TimeSpan.FromSeconds(20));
        if (failure is { } error)
        {
            throw new CliException($"The broker at {_bootstrap} did not accept the records: {error.Reason}.");
        }

        return sent;
    }

    public long Consume(ConsumeRequest request, Action<ConsumedRecord> onRecord, CancellationToken cancellation)
    {
        var topic = Metadata(request.Topic).Topics.SingleOrDefault(t => t.Topic == request.Topic);
        if (topic is null || topic.Error.Code != ErrorCode.NoError)
        {
            throw new CliException($"Topic '{request.Topic}' does not exist.");
        }

        using var consumer = NewConsumer(request.Group);
        var partitions = topic.Partitions.Select(p => new TopicPartition(request.Topic, p.PartitionId)).ToArray();
        var committed = request.Group is null ? [] : consumer.Committed(partitions, RequestTimeout);
        var ends = new Dictionary<int, long>();
        var positions = new Dictionary<int, long>();
        var assignment = new List<TopicPartitionOffset>();
        foreach (var partition in partitions)
        {
            var watermarks = consumer.QueryWatermarkOffsets(partition, RequestTimeout);
            ends[partition.Partition.Value] = watermarks.High.Value;
            var stored = committed.FirstOrDefault(c => c.Partition == partition.Partition)?.Offset;
            var start = stored is { IsSpecial: false } offset ? Math.Max(offset.Value, watermarks.Low.Value)
                : request.FromBeginning ? watermarks.Low.Value : watermarks.High.Value;
            positions[partition.Partition.Value] = start;
            assignment.Add(new TopicPartitionOffset(partition, new Offset(start)));
        }

        consumer.Assign(assignment);
        var startPositions = new Dictionary<int, long>(positions);
        var hadOffset = committed.Where(c => !c.Offset.IsSpecial).Select(c => c.Partition.Value).ToHashSet();
        long consumed = 0;
        try
        {
            while (!cancellation.IsCancellationRequested && (request.MaxMessages is not { } max || consumed < max))
            {
                if (!request.Follow && AtEnd())
                {
                    break;
                }

                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result is null || result.IsPartitionEOF)
                {
                    continue;
                }

                onRecord(new ConsumedRecord(result.Partition.Value, result.Offset.Value, result.Message.Key, result.Message.Value));
                positions[result.Partition.Value] = result.Offset.Value + 1;
                consumed++;
            }
        }
        finally
        {
            // As Kafka's consumers commit every assigned partition's position: a partition the group had no offset for
            // gets its start position even when nothing was read, so the next run of the group starts there, not at
            // the end (a record appended meanwhile would otherwise be skipped).
            var moved = positions.Where(p => p.Value != startPositions[p.Key] || !hadOffset.Contains(p.Key)).ToArray();
            if (request.Group is not null && moved.Length > 0)
            {
                consumer.Commit(moved.Select(p => new TopicPartitionOffset(request.Topic, p.Key, p.Value)));
            }
        }

        return consumed;

        // The end is the high watermark seen at the start: records appended later wait for --follow.
        bool AtEnd() => positions.All(p => p.Value >= ends[p.Key]);
    }

    public void Dispose()
    {
        if (_admin.IsValueCreated)
        {
            _admin.Value.Dispose();
        }
    }

    private ClientConfig Common() => ClientConfig(_bootstrap);

    private IConsumer<byte[]?, byte[]?> NewConsumer(string? group) => new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig(Common())
    {
        GroupId = group ?? "freshet-cli-" + Guid.NewGuid().ToString("N"),
        EnableAutoCommit = false,
        EnablePartitionEof = true,
        IsolationLevel = IsolationLevel.ReadCommitted,
    }).SetLogHandler(static (_, _) => { }).Build();

    private Metadata Metadata(string? topic)
    {
        try
        {
            return topic is null ? _admin.Value.GetMetadata(RequestTimeout) : _admin.Value.GetMetadata(topic, RequestTimeout);
        }
        catch (KafkaException e)
        {
            throw Unreachable(e);
        }
    }

    private T Await<T>(Func<Task<T>> call)
    {
        try
        {
            return call().GetAwaiter().GetResult();
        }
        catch (KafkaException e)
        {
            throw Unreachable(e);
        }
    }

    private void Await(Func<Task> call) => Await(async () =>
    {
        await call().ConfigureAwait(false);
        return 0;
    });

    private CliException Unreachable(KafkaException e) => e switch
    {
        CreateTopicsException c => new CliException(string.Join(" ", c.Results.Select(r => $"Cannot create topic '{r.Topic}': {r.Error.Reason}."))),
        DeleteTopicsException d => new CliException(string.Join(" ", d.Results.Select(r => $"Cannot delete topic '{r.Topic}': {r.Error.Reason}."))),
        _ when e.Error.Code is ErrorCode.Local_Transport or ErrorCode.Local_TimedOut or ErrorCode.Local_AllBrokersDown =>
            new CliException($"Cannot reach a Kafka broker at {_bootstrap} ({e.Error.Reason}).", e),
        _ => new CliException($"The broker at {_bootstrap} answered: {e.Error.Reason}.", e),
    };
}
