using Freshet.Streaming.Connectors;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming;

public sealed partial class DataStream<T>
{
    /// <summary>
    /// Writes each record as the value of a Kafka message without a key (Flink's <c>KafkaSink</c>), serialized with
    /// <paramref name="valueSerializer"/>; the record's event time becomes the message timestamp. At-least-once, or
    /// exactly-once through Kafka transactions with <see cref="KafkaSinkOptions.DeliveryGuarantee"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public DataStreamSink SinkToKafka(KafkaSinkOptions options, ISerializer<T> valueSerializer)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        options.Validate();
        return SinkTo(new KafkaSink<T>(options, null, valueSerializer.Serialize), $"Kafka Sink: {options.Topic}");
    }

    /// <summary>
    /// Writes each record to Kafka with the key <paramref name="keySelector"/> gives it: records with equal keys go to
    /// the same partition (the Java client's murmur2 partitioning). Otherwise as <see cref="SinkToKafka(KafkaSinkOptions, ISerializer{T})"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public DataStreamSink SinkToKafka<TKey>(KafkaSinkOptions options, Func<T, TKey> keySelector, ISerializer<TKey> keySerializer, ISerializer<T> valueSerializer)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(keySerializer);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        options.Validate();
        return SinkTo(new KafkaSink<T>(options, (value, output) => keySerializer.Serialize(keySelector(value), output), valueSerializer.Serialize), $"Kafka Sink: {options.Topic}");
    }
}
