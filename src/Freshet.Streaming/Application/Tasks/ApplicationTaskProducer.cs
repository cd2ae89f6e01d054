using Confluent.Kafka;
using Freshet.Shared;
using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Application.Tasks;

/// <summary>
/// The one Kafka producer of an application task: the task's sinks, repartition writers and changelog writes all go
/// through it, so that with <see cref="DeliveryGuarantee.ExactlyOnce"/> one transaction per commit covers them together
/// with the task's input offsets.
/// <para>
/// Exactly-once: the transactional id is <c>{applicationId}-{task}</c>, the same on whichever instance runs the task,
/// so opening the producer (InitTransactions) fences the task's previous owner — a zombie that lost the task can no
/// longer commit — and aborts what it left open. <see cref="Commit"/> adds the input offsets to the transaction
/// (TxnOffsetCommit to the application's group), commits it and begins the next. Fencing comes from the transactional
/// id, as in Kafka Streams' per-task exactly-once; the offsets carry no group generation because Confluent.Kafka builds
/// group metadata only from its own consumers (Kafka accepts transactional commits without one).
/// </para>
/// <para>
/// At-least-once: an idempotent producer; <see cref="Commit"/> waits for every record to be acknowledged, then commits
/// the offsets through <c>commitOffsets</c> (the group member, with its generation, so a member that lost the group
/// cannot move offsets).
/// </para>
/// Delivery failures are kept and thrown by the next <see cref="Commit"/> (or <see cref="ThrowIfFailed"/>): a record
/// that was not written must not have its offset committed. Thread-safety: <see cref="Produce"/> may be called from
/// any of the task's threads; <see cref="Commit"/> and <see cref="Abort"/> only while none produces (the task's
/// sources hold between a barrier and its commit).
/// </summary>
internal sealed class ApplicationTaskProducer : IDisposable
{
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly IConsumer<byte[], byte[]>? _groupMetadataSource;
    private readonly Func<IReadOnlyList<TopicPartitionOffset>, CancellationToken, Task>? _commitOffsets;
    private readonly TimeSpan _timeout;
    private readonly Action<DeliveryReport<byte[]?, byte[]?>> _onDelivery;
    private Exception? _failure;

    /// <summary>How long giving a transaction up may take; if the broker does not answer by then, the next owner's fencing or the transaction timeout aborts it.</summary>
    private static readonly TimeSpan AbortTimeout = TimeSpan.FromSeconds(5);

    /// <param name="commitOffsets">At-least-once only: commits offsets for the group member.</param>
    public ApplicationTaskProducer(string applicationId, string taskName, string bootstrapServers, DeliveryGuarantee guarantee, IReadOnlyDictionary<string, string>? clientProperties, TimeSpan timeout, Func<IReadOnlyList<TopicPartitionOffset>, CancellationToken, Task>? commitOffsets)
    {
        KafkaNativeLibrary.EnsureLoaded();
        Guarantee = guarantee;
        _timeout = timeout;
        _commitOffsets = commitOffsets;
        _onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.CompareExchange(ref _failure, new KafkaException(report.Error), null);
            }
        };
        var config = new ProducerConfig(clientProperties?.ToDictionary() ?? [])
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            LingerMs = 5,
            ClientId = $"{applicationId}-{taskName}-producer",
        };
        if (guarantee == DeliveryGuarantee.ExactlyOnce)
        {
            TransactionalId = $"{applicationId}-{taskName}";
            config.TransactionalId = TransactionalId;
            config.TransactionTimeoutMs = (int)Math.Clamp(timeout.TotalMilliseconds * 2, 1_000, 900_000);
            _groupMetadataSource = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig(clientProperties?.ToDictionary() ?? [])
            {
                BootstrapServers = bootstrapServers,
                GroupId = applicationId,
                EnableAutoCommit = false,
            }).Build();
        }

        _producer = new ProducerBuilder<byte[]?, byte[]?>(config).Build();
        if (guarantee == DeliveryGuarantee.ExactlyOnce)
        {
            // Fences the task's previous owner and aborts its open transaction before this owner writes anything.
            _producer.InitTransactions(timeout);
            _producer.BeginTransaction();
        }
    }

    public DeliveryGuarantee Guarantee { get; }

    /// <summary>The transactional id with exactly-once, else null.</summary>
    public string? TransactionalId { get; }

    /// <summary>The producer itself, for writers that produce their own messages (repartition writers); they must not flush, commit or dispose it.</summary>
    public IProducer<byte[]?, byte[]?> Producer => _producer;

    /// <summary>Writes one record; its failure surfaces at the next commit.</summary>
    public void Produce(string topic, int partition, byte[]? key, byte[]? value)
    {
        ThrowIfFailed();
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
    /// Makes everything written since the last commit durable together with <paramref name="offsets"/> (the next offset
    /// to read of each input partition). Throws when it cannot; the task must then be abandoned and restored.
    /// </summary>
    public void Commit(IReadOnlyList<TopicPartitionOffset> offsets)
    {
        if (Guarantee == DeliveryGuarantee.ExactlyOnce)
        {
            ThrowIfFailed();
            if (offsets.Count > 0)
            {
                _producer.SendOffsetsToTransaction(offsets, _groupMetadataSource!.ConsumerGroupMetadata, _timeout);
            }

            _producer.CommitTransaction(_timeout);
            ThrowIfFailed();
            _producer.BeginTransaction();
            return;
        }

        if (_producer.Flush(_timeout) > 0)
        {
            throw new TimeoutException($"Records of the task were not acknowledged within {_timeout.TotalSeconds:0.#} s.");
        }

        ThrowIfFailed();
        if (offsets.Count > 0)
        {
            using var cancel = new CancellationTokenSource(_timeout);
            _commitOffsets!(offsets, cancel.Token).GetAwaiter().GetResult();
        }
    }

    /// <summary>Gives up what was written since the last commit (exactly-once: aborts the transaction). Best effort; never throws.</summary>
    public void Abort()
    {
        if (Guarantee != DeliveryGuarantee.ExactlyOnce)
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
