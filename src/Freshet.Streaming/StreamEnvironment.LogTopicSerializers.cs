using Freshet.Log;
using Freshet.Log.Records;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Time;

namespace Freshet.Streaming;

public sealed partial class StreamEnvironment
{
    /// <summary>
    /// A source reading a topic of an embedded <see cref="LogStore"/> with keys and values deserialized by the given
    /// serializers, as <see cref="KafkaRecord{TKey, TValue}"/>s (the log stores Kafka records: the same shape as a
    /// Kafka source's). Otherwise as <see cref="FromLogTopic{T}(LogStore, string, Func{LogRecord, T}, LogSourceOptions?, WatermarkStrategy{T}?, string?)"/>;
    /// a record that does not deserialize fails the job naming topic, partition and offset.
    /// </summary>
    public DataStream<KafkaRecord<TKey, TValue>> FromLogTopic<TKey, TValue>(LogStore store, string topic, ISerializer<TKey> keySerializer, ISerializer<TValue> valueSerializer, LogSourceOptions? options = null, WatermarkStrategy<KafkaRecord<TKey, TValue>>? watermarkStrategy = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(keySerializer);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        LogTopicSourceReader<KafkaRecord<TKey, TValue>>.Converter convert = (LogRecord record, int partition, out KafkaRecord<TKey, TValue> value) =>
        {
            try
            {
                value = new KafkaRecord<TKey, TValue>(
                    topic,
                    partition,
                    record.Offset,
                    record.Timestamp,
                    record.Key is not null,
                    record.Key is null ? default! : keySerializer.Deserialize(record.Key),
                    record.Value is not null,
                    record.Value is null ? default! : valueSerializer.Deserialize(record.Value));
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidDataException($"Cannot deserialize the record at {topic}/{partition} offset {record.Offset}: {e.Message}", e);
            }
        };
        return AddLogTopicSource(store, topic, convert, options, watermarkStrategy, name);
    }

    /// <summary>
    /// A source of the values of a topic of an embedded <see cref="LogStore"/>, deserialized with
    /// <paramref name="valueSerializer"/>; records without a value (tombstones) are skipped. Otherwise as
    /// <see cref="FromLogTopic{TKey, TValue}(LogStore, string, ISerializer{TKey}, ISerializer{TValue}, LogSourceOptions?, WatermarkStrategy{KafkaRecord{TKey, TValue}}?, string?)"/>.
    /// </summary>
    public DataStream<TValue> FromLogTopic<TValue>(LogStore store, string topic, ISerializer<TValue> valueSerializer, LogSourceOptions? options = null, WatermarkStrategy<TValue>? watermarkStrategy = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        LogTopicSourceReader<TValue>.Converter convert = (LogRecord record, int partition, out TValue value) =>
        {
            if (record.Value is null)
            {
                value = default!;
                return false;
            }

            try
            {
                value = valueSerializer.Deserialize(record.Value);
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidDataException($"Cannot deserialize the value at {topic}/{partition} offset {record.Offset}: {e.Message}", e);
            }
        };
        return AddLogTopicSource(store, topic, convert, options, watermarkStrategy, name);
    }
}
