using Freshet.Log;
using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Connectors.LogTopic;

/// <summary>
/// Writes to a topic of an embedded <see cref="LogStore"/>. A record with a key goes to Kafka's default partition
/// for it (murmur2 of the key bytes, as the Java client and librdkafka's <c>murmur2_random</c>); a record without
/// a key goes to partition <c>subtask % partitions</c>. Each input batch becomes one RecordBatch per partition.
/// <see cref="LogSinkOptions.DeliveryGuarantee"/> chooses at-least-once (plain appends, flushed at each checkpoint)
/// or exactly-once (a log transaction per checkpoint, <see cref="ExactlyOnceLogTopicSinkWriter{T}"/>).
/// </summary>
internal sealed class LogTopicSink<T> : Sink<T>
{
    private readonly LogStore _store;
    private readonly string _topic;
    private readonly Func<T, (byte[]? Key, byte[]? Value)> _serializer;
    private readonly LogSinkOptions _options;

    public LogTopicSink(LogStore store, string topic, Func<T, (byte[]? Key, byte[]? Value)> serializer, LogSinkOptions? options = null)
    {
        _store = store;
        _topic = topic;
        _serializer = serializer;
        _options = options ?? new LogSinkOptions();
        _options.Validate();
    }

    public override SinkWriter<T> CreateWriter(SinkContext context)
    {
        if (_options.DeliveryGuarantee != DeliveryGuarantee.ExactlyOnce)
        {
            return new LogTopicSinkWriter<T>(_store, _topic, _serializer, context.SubtaskIndex) { Metrics = context.Metrics };
        }

        if (!context.CheckpointingEnabled)
        {
            throw new InvalidOperationException($"The exactly-once sink to log topic '{_topic}' needs checkpointing: set StreamEnvironmentOptions.Checkpointing.");
        }

        var prefix = _options.TransactionalIdPrefix ?? $"{context.JobName}-{context.OperatorUid}";
        return new ExactlyOnceLogTopicSinkWriter<T>(_store, _topic, _serializer, prefix, context.SubtaskIndex, context.Parallelism, _options.TransactionTimeout) { Metrics = context.Metrics };
    }
}
