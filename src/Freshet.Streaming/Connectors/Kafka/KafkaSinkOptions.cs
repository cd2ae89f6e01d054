using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Connectors.Kafka;

/// <summary>How a Kafka sink (<see cref="KafkaStreamExtensions.SinkToKafka{T, TKey}"/>) connects and writes.</summary>
public sealed record KafkaSinkOptions
{
    /// <summary>Kafka's <c>bootstrap.servers</c>: <c>host:port</c>, comma-separated.</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>The topic to write.</summary>
    public required string Topic { get; init; }

    /// <summary>How long a flush (end of input) waits for every record to be acknowledged; default 60 s.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Further librdkafka producer properties (e.g. <c>acks</c>, <c>linger.ms</c>, <c>compression.type</c>). By
    /// default the sink uses <c>acks=all</c>, idempotence and the Java client's partitioner (murmur2 of the key).
    /// </summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }

    /// <summary>
    /// <see cref="DeliveryGuarantee.AtLeastOnce"/> (default): records are produced as they arrive. With
    /// <see cref="DeliveryGuarantee.ExactlyOnce"/> each subtask buffers the records of a checkpoint interval, keeps them
    /// in the checkpoint, and produces them in one Kafka transaction when the checkpoint completes, so read_committed
    /// readers see each record once; the cost is one checkpoint interval of latency and checkpoints that hold the
    /// sink's output of one interval (see <c>KafkaExactlyOnceSinkWriter</c>). Needs checkpointing and
    /// <see cref="TransactionalIdPrefix"/>.
    /// </summary>
    public DeliveryGuarantee DeliveryGuarantee { get; init; } = DeliveryGuarantee.AtLeastOnce;

    /// <summary>
    /// Exactly-once only, and then required: the prefix of the transactional ids, <c>{prefix}-{subtask}</c>, which also
    /// name the consumer groups where the sink records the last checkpoint it committed. Unique per sink of a job and
    /// stable across restarts of that job (e.g. <c>"orders-enricher.sink"</c>); a new job that does not restore the old
    /// one's checkpoints needs a new prefix.
    /// </summary>
    public string? TransactionalIdPrefix { get; init; }

    /// <summary>
    /// Exactly-once only: librdkafka's <c>transaction.timeout.ms</c>; default 15 min (Flink's default, Kafka's default
    /// broker maximum). A transaction is open only while a completed checkpoint's records are produced; the timeout
    /// bounds how long one left open by a crashed process holds back read_committed readers when no new instance with
    /// the same transactional id starts.
    /// </summary>
    public TimeSpan TransactionTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The librdkafka producer settings of every Kafka sink writer: acks=all, idempotence, the Java client's murmur2
    /// partitioner, 5 ms linger, then <see cref="Properties"/>, then the bootstrap servers (which the properties cannot
    /// override).
    /// </summary>
    internal Confluent.Kafka.ProducerConfig ProducerConfig()
    {
        var config = new Confluent.Kafka.ProducerConfig
        {
            Acks = Confluent.Kafka.Acks.All,
            EnableIdempotence = true,
            Partitioner = Confluent.Kafka.Partitioner.Murmur2Random,
            LingerMs = 5,
        };
        if (Properties is not null)
        {
            foreach (var (name, value) in Properties)
            {
                config.Set(name, value);
            }
        }

        config.BootstrapServers = BootstrapServers;
        return config;
    }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(BootstrapServers, nameof(BootstrapServers));
        ArgumentException.ThrowIfNullOrWhiteSpace(Topic, nameof(Topic));
        ArgumentOutOfRangeException.ThrowIfLessThan(FlushTimeout, TimeSpan.FromMilliseconds(1), nameof(FlushTimeout));
        if (!Enum.IsDefined(DeliveryGuarantee))
        {
            throw new ArgumentOutOfRangeException(nameof(DeliveryGuarantee), DeliveryGuarantee, "Unknown delivery guarantee.");
        }

        if (DeliveryGuarantee == DeliveryGuarantee.ExactlyOnce)
        {
            if (string.IsNullOrWhiteSpace(TransactionalIdPrefix))
            {
                throw new ArgumentException(
                    "DeliveryGuarantee.ExactlyOnce needs a TransactionalIdPrefix: a name unique to this sink of this job and stable across its restarts " +
                    "(subtask s uses the transactional id '{prefix}-s').",
                    nameof(TransactionalIdPrefix));
            }

            ArgumentOutOfRangeException.ThrowIfLessThan(TransactionTimeout, TimeSpan.FromSeconds(1), nameof(TransactionTimeout));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(TransactionTimeout, TimeSpan.FromMilliseconds(int.MaxValue), nameof(TransactionTimeout));
        }
    }
}
