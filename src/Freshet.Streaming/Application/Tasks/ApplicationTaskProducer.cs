using Confluent.Kafka;
using Freshet.Shared;

namespace Freshet.Streaming.Application.Tasks;

/// <summary>
/// The one Kafka producer of an application task: the task's sinks, repartition writers and changelog writes all go
/// through it. Under exactly-once it is transactional, and one transaction per commit covers them together with the
/// task's input offsets; under at-least-once (<see cref="ForAtLeastOnce"/>) it is idempotent only, and a commit waits
/// until every record is acknowledged before the input offsets are committed.
/// <para>
/// The transactional id is <c>{applicationId}-{task}</c>, the same on whichever instance runs the task, so opening the
/// producer (InitTransactions) fences the task's previous owner — a zombie that lost the task can no longer commit —
/// and aborts what it left open. <see cref="Commit"/> adds the input offsets to the transaction (TxnOffsetCommit to the
/// application's group), commits it and begins the next. Fencing comes from the transactional id, as in Kafka
/// Streams' per-task exactly-once; the offsets carry no group generation because Confluent.Kafka builds group
/// metadata only from its own consumers (Kafka accepts transactional commits without one).
/// </para>
/// <para>
/// At-least-once: no transactional id and no fencing by the producer; the offsets go through a commit function that
/// carries the task's group generation (<see cref="Membership.GroupOffsetCommitter"/>), which refuses a task that was
/// given to another instance. Changelog records (<see cref="Produce"/>) are held until <see cref="FlushWrites"/>,
/// which first waits for the records written before them (sink and repartition output), so a changelog never gets
/// ahead of the output its state stands for: after a crash the state restored never reflects a record whose output
/// was not written.
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
    private readonly IConsumer<byte[], byte[]>? _groupMetadataSource;
    private readonly Action<IReadOnlyList<TopicPartitionOffset>>? _commitOffsets;
    private readonly List<(string Topic, int Partition, byte[]? Key, byte[]? Value)> _heldChangelogWrites = [];
    private readonly TimeSpan _timeout;
    private readonly Action<DeliveryReport<byte[]?, byte[]?>> _onDelivery;
    private readonly List<(string Topic, byte[]? Key, byte[]? Value)> _changelogWrites = [];
    private readonly Dictionary<string, long> _lastChangelogOffsets = new(StringComparer.Ordinal);
    /// <summary>The input offsets this producer's commits have committed; only those that moved are sent again.</summary>
    private readonly Dictionary<TopicPartition, long> _committedOffsets = [];
    private Exception? _failure;

    /// <summary>An exactly-once producer: transactional, opened (fencing the task's previous owner) and with a transaction begun.</summary>
    public ApplicationTaskProducer(string applicationId, string taskName, string bootstrapServers, IReadOnlyDictionary<string, string>? clientProperties, TimeSpan timeout)
        : this(applicationId, taskName, bootstrapServers, clientProperties, timeout, commitOffsets: null)
    {
    }

    private ApplicationTaskProducer(string applicationId, string taskName, string bootstrapServers, IReadOnlyDictionary<string, string>? clientProperties, TimeSpan timeout, Action<IReadOnlyList<TopicPartitionOffset>>? commitOffsets)
    {
        KafkaNativeLibrary.EnsureLoaded();
        _timeout = timeout;
        _commitOffsets = commitOffsets;
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
        var config = new ProducerConfig(clientProperties?.ToDictionary() ?? [])
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            LingerMs = 5,
            ClientId = $"{applicationId}-{taskName}-producer",
        };
        if (IsAtLeastOnce)
        {
            // A record not acknowledged within the request timeout fails the commit that waits for it (and the task),
            // rather than holding it for librdkafka's default of five minutes.
            config.MessageTimeoutMs = (int)Math.Clamp(timeout.TotalMilliseconds, 1_000, int.MaxValue);
            _producer = new ProducerBuilder<byte[]?, byte[]?>(config).Build();
            return;
        }

        TransactionalId = $"{applicationId}-{taskName}";
        config.TransactionalId = TransactionalId;
        config.TransactionTimeoutMs = (int)Math.Clamp(timeout.TotalMilliseconds * 2, 1_000, 900_000);

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

    /// <summary>
    /// An at-least-once producer: idempotent, not transactional. <paramref name="commitOffsets"/> commits the input
    /// offsets with the task's group generation; it throws when the group refuses them.
    /// </summary>
    public static ApplicationTaskProducer ForAtLeastOnce(string applicationId, string taskName, string bootstrapServers, IReadOnlyDictionary<string, string>? clientProperties, TimeSpan timeout, Action<IReadOnlyList<TopicPartitionOffset>> commitOffsets)
    {
        ArgumentNullException.ThrowIfNull(commitOffsets);
        return new ApplicationTaskProducer(applicationId, taskName, bootstrapServers, clientProperties, timeout, commitOffsets);
    }

    /// <summary>Whether this is an at-least-once producer (no transactions).</summary>
    public bool IsAtLeastOnce => _commitOffsets is not null;

    /// <summary>What the commits of this producer are called in messages: the transactional id, or the client for at-least-once.</summary>
    public string Name => TransactionalId ?? _producer.Name;

    /// <summary>The transactional id, <c>{applicationId}-{task}</c>; null for an at-least-once producer.</summary>
    public string? TransactionalId { get; }

    /// <summary>The producer itself, for writers that produce their own messages (sinks, repartition writers); they must not commit or dispose it.</summary>
    public IProducer<byte[]?, byte[]?> Producer => _producer;

    /// <summary>
    /// Writes one changelog record into the open transaction (at-least-once: holds it until the next
    /// <see cref="FlushWrites"/> or <see cref="Commit"/>); its failure surfaces at the next commit.
    /// </summary>
    public void Produce(string topic, int partition, byte[]? key, byte[]? value)
    {
        ThrowIfFailed();
        lock (_changelogWrites)
        {
            _changelogWrites.Add((topic, key, value));
            if (IsAtLeastOnce)
            {
                _heldChangelogWrites.Add((topic, partition, key, value));
                return;
            }
        }

        _producer.Produce(new TopicPartition(topic, partition), new Message<byte[]?, byte[]?> { Key = key, Value = value }, _onDelivery);
    }

    /// <summary>
    /// At-least-once: waits until every record written so far is acknowledged, then sends the changelog records held
    /// back and waits for those too, so that what is written after this call is durable only after everything before
    /// it. Exactly-once: nothing to do (the transaction makes a commit's writes visible together). Throws when a record
    /// could not be written or the wait timed out; the task must then be abandoned.
    /// </summary>
    public void FlushWrites()
    {
        if (!IsAtLeastOnce)
        {
            return;
        }

        WaitForAcknowledgements();
        List<(string Topic, int Partition, byte[]? Key, byte[]? Value)> held;
        lock (_changelogWrites)
        {
            held = [.. _heldChangelogWrites];
            _heldChangelogWrites.Clear();
        }

        if (held.Count == 0)
        {
            return;
        }

        foreach (var (topic, partition, key, value) in held)
        {
            _producer.Produce(new TopicPartition(topic, partition), new Message<byte[]?, byte[]?> { Key = key, Value = value }, _onDelivery);
        }

        WaitForAcknowledgements();
    }

    private void WaitForAcknowledgements()
    {
        if (_producer.Flush(_timeout) > 0)
        {
            throw new TimeoutException($"The task's records were not all acknowledged within {_timeout.TotalSeconds} s; their input offsets are not committed.");
        }

        ThrowIfFailed();
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
    /// read of each input partition; those equal to what this producer committed last are left out): exactly-once, in
    /// the open transaction, then begins the next; at-least-once, by waiting until every write is acknowledged and
    /// then committing the offsets with the group generation. Throws when it cannot (fenced, timed out); the task must
    /// then be abandoned and restored.
    /// </summary>
    public void Commit(IReadOnlyList<TopicPartitionOffset> offsets)
    {
        ThrowIfFailed();
        var moved = offsets.Where(o => !_committedOffsets.TryGetValue(o.TopicPartition, out var committed) || committed != o.Offset.Value).ToList();
        if (_commitOffsets is not null)
        {
            // At-least-once: the offsets move only once everything the records before them caused is durable.
            FlushWrites();
            if (moved.Count > 0)
            {
                _commitOffsets(moved);
                Remember(moved);
            }

            return;
        }

        if (moved.Count > 0)
        {
            _producer.SendOffsetsToTransaction(moved, _groupMetadataSource!.ConsumerGroupMetadata, _timeout);
        }

        // A transaction with no records and no offsets ends without a request to the broker (librdkafka), so an idle
        // task's commits cost nothing on the cluster.
        _producer.CommitTransaction(_timeout);
        ThrowIfFailed();
        Remember(moved);
        _producer.BeginTransaction();
    }

    private void Remember(List<TopicPartitionOffset> committed)
    {
        foreach (var offset in committed)
        {
            _committedOffsets[offset.TopicPartition] = offset.Offset.Value;
        }
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

    /// <summary>
    /// Aborts the open transaction. At-least-once: drops the changelog records held back; what was sent stays written
    /// (the next owner processes it again from the last committed offsets). Best effort; never throws.
    /// </summary>
    public void Abort()
    {
        lock (_changelogWrites)
        {
            _changelogWrites.Clear();
            _heldChangelogWrites.Clear();
            _lastChangelogOffsets.Clear();
        }

        if (IsAtLeastOnce)
        {
            return;
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
        _groupMetadataSource?.Dispose();
    }
}
