using System.Buffers;
using Freshet.Log;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.Tables;

/// <summary>
/// Upsert sinks for changelog streams (Flink's <c>upsert-kafka</c> sink; what the SQL planner uses for a query with a
/// unique key): every <c>+I</c>/<c>+U</c> is written as its key and new value, every <c>-D</c> as its key and a
/// tombstone, and a <c>-U</c> as a tombstone of its key unless a <c>+I</c>/<c>+U</c> of the same key follows before the
/// next checkpoint barrier (or end of input) — then it is dropped. Records of a key go to one partition (Kafka's
/// default partitioner of the key bytes), in the order of the key's changes, so a compacted topic ends holding the
/// table. The sink runs at the changelog's parallelism, forward from its subtasks, so that no exchange reorders a key's
/// changes (do not change its parallelism). The guarantee is the underlying sink's: with <c>DeliveryGuarantee.ExactlyOnce</c> each checkpoint's messages
/// are committed in one transaction when the checkpoint completes.
/// </summary>
public static class UpsertSinkExtensions
{
    /// <summary>Writes the changelog to a topic of an embedded <see cref="LogStore"/> as upserts and tombstones.</summary>
    /// <param name="keySerializer">A row's key bytes; it must not return null (the sink fails the job naming the row).</param>
    /// <param name="valueSerializer">A row's value bytes; null writes a tombstone.</param>
    public static DataStreamSink SinkToLogTopicAsUpsert<T>(this DataStream<Change<T>> stream, LogStore store, string topic, Func<T, byte[]?> keySerializer, Func<T, byte[]?> valueSerializer, LogSinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(keySerializer);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        var messages = new LogTopicSink<UpsertMessage>(store, topic, static message => (message.Key, message.Value), options);
        return stream.SinkTo(new UpsertSink<T>(messages, keySerializer, valueSerializer), $"Log Upsert Sink: {topic}").SetParallelism(stream.Parallelism);
    }

    /// <summary>Writes the changelog to a Kafka topic as upserts and tombstones.</summary>
    /// <param name="keySerializer">A row's key bytes; it must not return null (the sink fails the job naming the row).</param>
    /// <param name="valueSerializer">A row's value bytes; null writes a tombstone.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static DataStreamSink SinkToKafkaAsUpsert<T>(this DataStream<Change<T>> stream, KafkaSinkOptions options, Func<T, byte[]?> keySerializer, Func<T, byte[]?> valueSerializer)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keySerializer);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        options.Validate();
        var messages = new KafkaSink<UpsertMessage>(
            options,
            static (message, output) => output.Write(message.Key),
            static (message, output) => output.Write(message.Value),
            static message => message.Value is null);
        return stream.SinkTo(new UpsertSink<T>(messages, keySerializer, valueSerializer), $"Kafka Upsert Sink: {options.Topic}").SetParallelism(stream.Parallelism);
    }

    /// <summary>Scratch buffer of the calling sink subtask's thread (one serializing delegate is shared by all subtasks).</summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The bytes of <paramref name="value"/> in one exact-size array, through a reused scratch buffer.</summary>
    internal static byte[] ToArray<TValue>(ISerializer<TValue> serializer, TValue value)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        serializer.Serialize(value, buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
