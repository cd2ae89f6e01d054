using Freshet.Log;

namespace Freshet.Streaming.Connectors;

/// <summary>
/// Writes to a topic of an embedded <see cref="LogStore"/>. A record with a key goes to Kafka's default partition
/// for it (murmur2 of the key bytes, as the Java client and librdkafka's <c>murmur2_random</c>); a record without
/// a key goes to partition <c>subtask % partitions</c>. Each input batch becomes one RecordBatch per partition.
/// At-least-once for now; exactly-once through log transactions comes with issue 5.
/// </summary>
internal sealed class LogTopicSink<T> : Sink<T>
{
    private readonly LogStore _store;
    private readonly string _topic;
    private readonly Func<T, (byte[]? Key, byte[]? Value)> _serializer;

    public LogTopicSink(LogStore store, string topic, Func<T, (byte[]? Key, byte[]? Value)> serializer)
    {
        _store = store;
        _topic = topic;
        _serializer = serializer;
    }

    public override SinkWriter<T> CreateWriter(SinkContext context) => new LogTopicSinkWriter<T>(_store, _topic, _serializer, context.SubtaskIndex);
}
