using ConsumeResult = Confluent.Kafka.ConsumeResult<byte[]?, byte[]?>;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Time;

namespace Freshet.Streaming;

public sealed partial class StreamEnvironment
{
    /// <summary>
    /// A source reading a Kafka topic (Apache Kafka, Redpanda, a Freshet broker) through Confluent.Kafka (Flink's
    /// <c>KafkaSource</c>): partition <c>i</c> is read by subtask <c>i % parallelism</c>, each partition with its own
    /// watermark; keys and values are deserialized with the given serializers. Without a timestamp assigner, a
    /// record's event time is its Kafka timestamp. See <see cref="KafkaSourceOptions"/> for starting offsets,
    /// bounded mode and committing positions.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public DataStream<KafkaRecord<TKey, TValue>> FromKafka<TKey, TValue>(KafkaSourceOptions options, ISerializer<TKey> keySerializer, ISerializer<TValue> valueSerializer, WatermarkStrategy<KafkaRecord<TKey, TValue>>? watermarkStrategy = null, string? name = null)
    {
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
        return AddKafkaSource(options, convert, watermarkStrategy, name);
    }

    /// <summary>
    /// A source of the values of a Kafka topic, deserialized with <paramref name="valueSerializer"/>; records without a
    /// value (tombstones) are skipped; use <see cref="FromKafka{TKey, TValue}"/> to see keys, tombstones and offsets.
    /// Otherwise as <see cref="FromKafka{TKey, TValue}"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public DataStream<TValue> FromKafka<TValue>(KafkaSourceOptions options, ISerializer<TValue> valueSerializer, WatermarkStrategy<TValue>? watermarkStrategy = null, string? name = null)
    {
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
        return AddKafkaSource(options, convert, watermarkStrategy, name);
    }

    private DataStream<T> AddKafkaSource<T>(KafkaSourceOptions options, KafkaSourceReader<T>.Converter convert, WatermarkStrategy<T>? watermarkStrategy, string? name)
    {
        var node = new SourceTransformation<T>(NextId(), name ?? $"Kafka Source: {options.Topic}", Options.Parallelism, (s, p) => new KafkaSourceReader<T>(options, convert, s, p), watermarkStrategy ?? WatermarkStrategy.ForMonotonousTimestamps<T>());
        return Add(node);
    }
}
