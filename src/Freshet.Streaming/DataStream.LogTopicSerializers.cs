using System.Buffers;
using Freshet.Log;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming;

public sealed partial class DataStream<T>
{
    /// <summary>
    /// Writes each record as the value of a log record without a key, serialized with <paramref name="valueSerializer"/>.
    /// Otherwise as <see cref="SinkToLogTopic(LogStore, string, Func{T, ValueTuple{byte[], byte[]}}, LogSinkOptions?)"/>.
    /// </summary>
    public DataStreamSink SinkToLogTopic(LogStore store, string topic, ISerializer<T> valueSerializer, LogSinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(valueSerializer);
        return SinkToLogTopic(store, topic, value => (null, SerializeToArray(valueSerializer, value)), options);
    }

    /// <summary>
    /// Writes each record with the key <paramref name="keySelector"/> gives it (records with equal keys go to the same
    /// partition), key and value serialized with the given serializers. Otherwise as
    /// <see cref="SinkToLogTopic(LogStore, string, Func{T, ValueTuple{byte[], byte[]}}, LogSinkOptions?)"/>.
    /// </summary>
    public DataStreamSink SinkToLogTopic<TKey>(LogStore store, string topic, Func<T, TKey> keySelector, ISerializer<TKey> keySerializer, ISerializer<T> valueSerializer, LogSinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(keySerializer);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        return SinkToLogTopic(store, topic, value => (SerializeToArray(keySerializer, keySelector(value)), SerializeToArray(valueSerializer, value)), options);
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
