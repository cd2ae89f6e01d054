using System.Buffers;
using Freshet.Log;
using Freshet.Log.Records;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Connectors.LogTopic;

/// <summary>
/// The embedded log's connector on the core API: <c>environment.FromLogTopic(...)</c> reads a topic of a
/// <see cref="LogStore"/> in this process, <c>stream.SinkToLogTopic(...)</c> writes one (exactly-once with
/// checkpoints and <see cref="LogSinkOptions.DeliveryGuarantee"/>).
/// </summary>
public static class LogTopicStreamExtensions
{
    /// <summary>
    /// A source reading a topic of an embedded <see cref="LogStore"/>: partition <c>i</c> is read by subtask
    /// <c>i % parallelism</c>, each partition with its own watermark. Without a timestamp assigner, a record's event
    /// time is the log record's timestamp.
    /// </summary>
    /// <param name="deserializer">Turns a stored record into a stream record.</param>
    public static DataStream<T> FromLogTopic<T>(this StreamEnvironment environment, LogStore store, string topic, Func<LogRecord, T> deserializer, LogSourceOptions? options = null, WatermarkStrategy<T>? watermarkStrategy = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(deserializer);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        LogTopicSourceReader<T>.Converter convert = (LogRecord record, int _, out T value) =>
        {
            value = deserializer(record);
            return true;
        };
        return environment.AddLogTopicSource(store, topic, convert, options, watermarkStrategy, name);
    }

    private static DataStream<T> AddLogTopicSource<T>(this StreamEnvironment environment, LogStore store, string topic, LogTopicSourceReader<T>.Converter convert, LogSourceOptions? options, WatermarkStrategy<T>? watermarkStrategy, string? name)
    {
        options ??= new LogSourceOptions();
        var node = new SourceTransformation<T>(environment.NextId(), name ?? $"Log Source: {topic}", environment.Options.Parallelism, context => new LogTopicSourceReader<T>(store, topic, convert, options, context), watermarkStrategy ?? WatermarkStrategy.ForMonotonousTimestamps<T>());
        return environment.Add(node);
    }

    /// <summary>
    /// A source reading a topic of an embedded <see cref="LogStore"/> with keys and values deserialized by the given
    /// serializers, as <see cref="KafkaRecord{TKey, TValue}"/>s (the log stores Kafka records: the same shape as a
    /// Kafka source's). Otherwise as <see cref="FromLogTopic{T}(StreamEnvironment, LogStore, string, Func{LogRecord, T}, LogSourceOptions?, WatermarkStrategy{T}?, string?)"/>;
    /// a record that does not deserialize fails the job naming topic, partition and offset.
    /// </summary>
    public static DataStream<KafkaRecord<TKey, TValue>> FromLogTopic<TKey, TValue>(this StreamEnvironment environment, LogStore store, string topic, ISerializer<TKey> keySerializer, ISerializer<TValue> valueSerializer, LogSourceOptions? options = null, WatermarkStrategy<KafkaRecord<TKey, TValue>>? watermarkStrategy = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
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
        return environment.AddLogTopicSource(store, topic, convert, options, watermarkStrategy, name);
    }

    /// <summary>
    /// A source of the values of a topic of an embedded <see cref="LogStore"/>, deserialized with
    /// <paramref name="valueSerializer"/>; records without a value (tombstones) are skipped. Otherwise as
    /// <see cref="FromLogTopic{TKey, TValue}(StreamEnvironment, LogStore, string, ISerializer{TKey}, ISerializer{TValue}, LogSourceOptions?, WatermarkStrategy{KafkaRecord{TKey, TValue}}?, string?)"/>.
    /// </summary>
    public static DataStream<TValue> FromLogTopic<TValue>(this StreamEnvironment environment, LogStore store, string topic, ISerializer<TValue> valueSerializer, LogSourceOptions? options = null, WatermarkStrategy<TValue>? watermarkStrategy = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
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
        return environment.AddLogTopicSource(store, topic, convert, options, watermarkStrategy, name);
    }

    /// <summary>
    /// Writes the stream to a topic of an embedded <see cref="LogStore"/>; <paramref name="serializer"/> gives each
    /// record's key and value bytes. Keyed records go to Kafka's default partition for the key; the record's event time
    /// becomes the log record's timestamp.
    /// </summary>
    public static DataStreamSink SinkToLogTopic<T>(this DataStream<T> stream, LogStore store, string topic, Func<T, (byte[]? Key, byte[]? Value)> serializer, LogSinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(serializer);
        return stream.SinkTo(new LogTopicSink<T>(store, topic, serializer, options), $"Log Sink: {topic}");
    }

    /// <summary>
    /// Writes each record as the value of a log record without a key, serialized with <paramref name="valueSerializer"/>.
    /// Otherwise as <see cref="SinkToLogTopic{T}(DataStream{T}, LogStore, string, Func{T, ValueTuple{byte[], byte[]}}, LogSinkOptions?)"/>.
    /// </summary>
    public static DataStreamSink SinkToLogTopic<T>(this DataStream<T> stream, LogStore store, string topic, ISerializer<T> valueSerializer, LogSinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        return stream.SinkToLogTopic(store, topic, value => (null, SerializeToArray(valueSerializer, value)), options);
    }

    /// <summary>
    /// Writes each record with the key <paramref name="keySelector"/> gives it (records with equal keys go to the same
    /// partition), key and value serialized with the given serializers. Otherwise as
    /// <see cref="SinkToLogTopic{T}(DataStream{T}, LogStore, string, Func{T, ValueTuple{byte[], byte[]}}, LogSinkOptions?)"/>.
    /// </summary>
    public static DataStreamSink SinkToLogTopic<T, TKey>(this DataStream<T> stream, LogStore store, string topic, Func<T, TKey> keySelector, ISerializer<TKey> keySerializer, ISerializer<T> valueSerializer, LogSinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(keySerializer);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        return stream.SinkToLogTopic(store, topic, value => (SerializeToArray(keySerializer, keySelector(value)), SerializeToArray(valueSerializer, value)), options);
    }

    /// <summary>Scratch buffer of the calling sink subtask's thread (the serializing lambda is shared by all subtasks).</summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_serializeBuffer;

    private static byte[] SerializeToArray<TValue>(ISerializer<TValue> serializer, TValue value)
    {
        // The Func-based sink takes arrays: one exact-size array per key and value, the scratch buffer is reused.
        var buffer = t_serializeBuffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        serializer.Serialize(value, buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
