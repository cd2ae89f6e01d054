using Confluent.Kafka;
using Freshet.Shared;

namespace Freshet.Streaming.Application.Tasks;

/// <summary>
/// The one transactional Kafka producer of an application task: the task's sinks, repartition writers and changelog
/// writes all go through it, so one transaction per commit covers them together with the task's input offsets.
/// <para>
/// The transactional id is <c>{applicationId}-{task}</c>, the same on whichever instance runs the task, so opening the
/// producer (InitTransactions) fences the task's previous owner — a zombie that lost the task can no longer commit —
/// and aborts what it left open. <see cref="Commit"/> adds the input offsets to the transaction (TxnOffsetCommit to the
/// application's group), commits it and begins the next. Fencing comes from the transactional id, as in Kafka
/// Streams' per-task exactly-once; the offsets carry no group generation because Confluent.Kafka builds group
/// metadata only from its own consumers (Kafka accepts transactional commits without one).
/// </para>
/// Delivery failures are kept and thrown by the next <see cref="Commit"/> (or <see cref="ThrowIfFailed"/>): a record
/// that was not written must not have its offset committed. Thread-safety: <see cref="Produce"/> may be called from
/// any of the task's threads; <see cref="Commit"/> and <see cref="Abort"/> only while none produces (the task's
/// sources hold between a barrier and its commit).
/// </summary>
internal sealed class ApplicationTaskProducer : IDisposable
{
    /// <summary>How long giving a transaction up may take; if the broker does not answer by then, the next owner's fencing or the transaction timeout aborts it.</summary>
    private static readonly TimeSpan AbortTimeout = TimeSpan.FromSeconds(5);

    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly IConsumer<byte[], byte[]> _groupMetadataSource;
    private readonly TimeSpan _timeout;
    private readonly Action<DeliveryReport<byte[]?, byte[]?>> _onDelivery;
    private readonly List<(string Topic, byte[]? Key, byte[]? Value)> _changelogWrites = [];
    private readonly Dictionary<string, long> _lastChangelogOffsets = new(StringComparer.Ordinal);
    /// <summary>The input offsets this producer's transactions have committed; only those that moved are sent again.</summary>
    private readonly Dictionary<TopicPartition, long> _committedOffsets = [];
    private Exception? _failure;

    public ApplicationTaskProducer(string applicationId, string taskName, string bootstrapServers, IReadOnlyDictionary<string, string>? clientProperties, TimeSpan timeout)
    {
        KafkaNativeLibrary.EnsureLoaded();
        _timeout = timeout;
        _onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.CompareExchange(ref _failure, new KafkaException(report.Error), null);
                return;
            }

            lock (_changelogWrites)
            {
                _lastChangelogOffsets[report.Topic] = Math.Max(_lastChangelogOffsets.GetValueOrDefault(report.Topic, -1), report.Offset.Value);
            }
        };
        TransactionalId = $"{applicationId}-{taskName}";
        var config = new ProducerConfig(clientProperties?.ToDictionary() ?? [])
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            LingerMs = 5,
            ClientId = $"{applicationId}-{taskName}-producer",
            TransactionalId = TransactionalId,
            TransactionTimeoutMs = (int)Math.Clamp(timeout.TotalMilliseconds * 2, 1_000, 900_000),
        };

        // Never subscribes: it only names the application's group in SendOffsetsToTransaction.
        _groupMetadataSource = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig(clientProperties?.ToDictionary() ?? [])
        {
            BootstrapServers = bootstrapServers,
            GroupId = applicationId,
            EnableAutoCommit = false,
        }).Build();
        _producer = new ProducerBuilder<byte[]?, byte[]?>(config).Build();

        // Fences the task's previous owner and aborts its open transaction before this owner writes anything.
        _producer.InitTransactions(timeout);
        _producer.BeginTransaction();
    }

    /// <summary>The transactional id, <c>{applicationId}-{task}</c>.</summary>
    public string TransactionalId { get; }

    /// <summary>The producer itself, for writers that produce their own messages (sinks, repartition writers); they must not commit or dispose it.</summary>
    public IProducer<byte[]?, byte[]?> Producer => _producer;

    /// <summary>Writes one changelog record into the open transaction; its failure surfaces at the next commit.</summary>
    public void Produce(string topic, int partition, byte[]? key, byte[]? value)
    {
        ThrowIfFailed();
        lock (_changelogWrites)
        {
            _changelogWrites.Add((topic, key, value));
        }

        _producer.Produce(new TopicPartition(topic, partition), new Message<byte[]?, byte[]?> { Key = key, Value = value }, _onDelivery);
    }

    /// <summary>Throws the first delivery failure seen, if any.</summary>
    public void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw new InvalidOperationException($"A record of the task could not be written: {failure.Message}", failure);
        }
    }

    /// <summary>
    /// Commits everything written since the last commit together with <paramref name="offsets"/> (the next offset to
    /// read of each input partition; those equal to what this producer committed last are left out), and begins the
    /// next transaction. Throws when it cannot (fenced, timed out); the
    /// task must then be abandoned and restored.
    /// </summary>
    public void Commit(IReadOnlyList<TopicPartitionOffset> offsets)
    {
        ThrowIfFailed();
        var moved = offsets.Where(o => !_committedOffsets.TryGetValue(o.TopicPartition, out var committed) || committed != o.Offset.Value).ToList();
        if (moved.Count > 0)
        {
            _producer.SendOffsetsToTransaction(moved, _groupMetadataSource.ConsumerGroupMetadata, _timeout);
        }

        // A transaction with no records and no offsets ends without a request to the broker (librdkafka), so an idle
        // task's commits cost nothing on the cluster.
        _producer.CommitTransaction(_timeout);
        ThrowIfFailed();
        foreach (var offset in moved)
        {
            _committedOffsets[offset.TopicPartition] = offset.Offset.Value;
        }

        _producer.BeginTransaction();
    }

    /// <summary>
    /// The changelog records (<see cref="Produce"/>) of the transactions committed since the last call, in order, and
    /// per topic the offset of the last of them; call after <see cref="Commit"/> returned.
    /// </summary>
    public (List<(string Topic, byte[]? Key, byte[]? Value)> Writes, Dictionary<string, long> LastOffsets) TakeCommittedChangelogWrites()
    {
        lock (_changelogWrites)
        {
            var taken = (new List<(string, byte[]?, byte[]?)>(_changelogWrites), new Dictionary<string, long>(_lastChangelogOffsets, StringComparer.Ordinal));
            _changelogWrites.Clear();
            _lastChangelogOffsets.Clear();
            return taken;
        }
    }

    /// <summary>Aborts the open transaction. Best effort; never throws.</summary>
    public void Abort()
    {
        lock (_changelogWrites)
        {
            _changelogWrites.Clear();
            _lastChangelogOffsets.Clear();
        }

        try
        {
            _producer.AbortTransaction(AbortTimeout);
        }
#pragma warning disable CA1031 // Aborting is best effort: a fenced or broken producer's transaction is aborted by the next owner's InitTransactions or by its timeout.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    public void Dispose()
    {
        _producer.Dispose();
        _groupMetadataSource.Dispose();
    }
}
