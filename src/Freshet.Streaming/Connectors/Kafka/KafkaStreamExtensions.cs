using ConsumeResult = Confluent.Kafka.ConsumeResult<byte[]?, byte[]?>;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Connectors.Kafka;

/// <summary>
/// The Kafka connector's entry points on the core API: <c>environment.FromKafka(...)</c> reads a topic of any
/// Kafka-protocol cluster, <c>stream.SinkToKafka(...)</c> writes one. Both go through Confluent.Kafka.
/// </summary>
public static class KafkaStreamExtensions
{
    /// <summary>
    /// A source reading a Kafka topic (Apache Kafka, Redpanda, a Freshet broker) through Confluent.Kafka (Flink's
    /// <c>KafkaSource</c>): partition <c>i</c> is read by subtask <c>i % parallelism</c>, each partition with its own
    /// watermark; keys and values are deserialized with the given serializers. Without a timestamp assigner, a
    /// record's event time is its Kafka timestamp. See <see cref="KafkaSourceOptions"/> for starting offsets,
    /// bounded mode and committing positions.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static DataStream<KafkaRecord<TKey, TValue>> FromKafka<TKey, TValue>(this StreamEnvironment environment, KafkaSourceOptions options, ISerializer<TKey> keySerializer, ISerializer<TValue> valueSerializer, WatermarkStrategy<KafkaRecord<TKey, TValue>>? watermarkStrategy = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keySerializer);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        options.Validate();
        KafkaSourceReader<KafkaRecord<TKey, TValue>>.Converter convert = (ConsumeResult r, out KafkaRecord<TKey, TValue> record) =>
        {
            var key = r.Message.Key;
            var value = r.Message.Value;
            record = new KafkaRecord<TKey, TValue>(
                r.Topic,
                r.Partition.Value,
                r.Offset.Value,
                r.Message.Timestamp.UnixTimestampMs,
                key is not null,
                key is null ? default! : keySerializer.Deserialize(key),
                value is not null,
                value is null ? default! : valueSerializer.Deserialize(value));
            return true;
        };
        return environment.AddKafkaSource(options, convert, watermarkStrategy, name);
    }

    /// <summary>
    /// A source of the values of a Kafka topic, deserialized with <paramref name="valueSerializer"/>; records without a
    /// value (tombstones) are skipped; use <see cref="FromKafka{TKey, TValue}(StreamEnvironment, KafkaSourceOptions, ISerializer{TKey}, ISerializer{TValue}, WatermarkStrategy{KafkaRecord{TKey, TValue}}?, string?)"/> to see keys, tombstones and offsets.
    /// Otherwise as <see cref="FromKafka{TKey, TValue}(StreamEnvironment, KafkaSourceOptions, ISerializer{TKey}, ISerializer{TValue}, WatermarkStrategy{KafkaRecord{TKey, TValue}}?, string?)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static DataStream<TValue> FromKafka<TValue>(this StreamEnvironment environment, KafkaSourceOptions options, ISerializer<TValue> valueSerializer, WatermarkStrategy<TValue>? watermarkStrategy = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        options.Validate();
        KafkaSourceReader<TValue>.Converter convert = (ConsumeResult r, out TValue value) =>
        {
            if (r.Message.Value is not { } bytes)
            {
                value = default!;
                return false;
            }

            value = valueSerializer.Deserialize(bytes);
            return true;
        };
        return environment.AddKafkaSource(options, convert, watermarkStrategy, name);
    }

    private static DataStream<T> AddKafkaSource<T>(this StreamEnvironment environment, KafkaSourceOptions options, KafkaSourceReader<T>.Converter convert, WatermarkStrategy<T>? watermarkStrategy, string? name)
    {
        var node = new SourceTransformation<T>(environment.NextId(), name ?? $"Kafka Source: {options.Topic}", environment.Options.Parallelism, context => new KafkaSourceReader<T>(options, convert, context), watermarkStrategy ?? WatermarkStrategy.ForMonotonousTimestamps<T>())
        {
            Topic = options.Topic,
            PartitionReaderFactory = (placement, context) => new KafkaSourceReader<T>(options.ForApplicationTask(placement), convert, context),
        };
        return environment.Add(node);
    }

    /// <summary>
    /// Writes each record as the value of a Kafka message without a key (Flink's <c>KafkaSink</c>), serialized with
    /// <paramref name="valueSerializer"/>; the record's event time becomes the message timestamp. At-least-once, or
    /// exactly-once through Kafka transactions with <see cref="KafkaSinkOptions.DeliveryGuarantee"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static DataStreamSink SinkToKafka<T>(this DataStream<T> stream, KafkaSinkOptions options, ISerializer<T> valueSerializer)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        options.Validate();
        return stream.SinkTo(new KafkaSink<T>(options, null, valueSerializer.Serialize), $"Kafka Sink: {options.Topic}");
    }

    /// <summary>
    /// Writes each record to Kafka with the key <paramref name="keySelector"/> gives it: records with equal keys go to
    /// the same partition (the Java client's murmur2 partitioning). Otherwise as <see cref="SinkToKafka{T}(DataStream{T}, KafkaSinkOptions, ISerializer{T})"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static DataStreamSink SinkToKafka<T, TKey>(this DataStream<T> stream, KafkaSinkOptions options, Func<T, TKey> keySelector, ISerializer<TKey> keySerializer, ISerializer<T> valueSerializer)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(keySerializer);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        options.Validate();
        return stream.SinkTo(new KafkaSink<T>(options, (value, output) => keySerializer.Serialize(keySelector(value), output), valueSerializer.Serialize), $"Kafka Sink: {options.Topic}");
    }
}
