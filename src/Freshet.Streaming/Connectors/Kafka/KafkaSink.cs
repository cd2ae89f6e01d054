using System.Buffers;
using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Connectors.Kafka;

/// <summary>
/// Writes to a Kafka topic through a Confluent.Kafka producer per subtask (see <see cref="KafkaSinkWriter{T}"/>).
/// At-least-once by default: every record is acknowledged by the cluster before end of input completes. With
/// <see cref="DeliveryGuarantee.ExactlyOnce"/> each subtask is a <see cref="KafkaExactlyOnceSinkWriter{T}"/>: records
/// are kept in the checkpoint and produced in a Kafka transaction when it completes.
/// </summary>
internal sealed class KafkaSink<T> : Sink<T>
{
    private readonly KafkaSinkOptions _options;
    private readonly Action<T, IBufferWriter<byte>>? _writeKey;
    private readonly Action<T, IBufferWriter<byte>> _writeValue;
    private readonly Func<T, bool>? _isTombstone;

    /// <param name="isTombstone">True for a record to produce without a value (a tombstone; <paramref name="writeValue"/> is not called for it); null: none is.</param>
    public KafkaSink(KafkaSinkOptions options, Action<T, IBufferWriter<byte>>? writeKey, Action<T, IBufferWriter<byte>> writeValue, Func<T, bool>? isTombstone = null)
    {
        _options = options;
        _writeKey = writeKey;
        _writeValue = writeValue;
        _isTombstone = isTombstone;
    }

    /// <summary>
    /// In an application task, a writer through the task's producer, whose commit covers the records (exactly-once when
    /// the application is; the sink's own guarantee does not apply). Otherwise a writer of the sink's guarantee.
    /// </summary>
    public override SinkWriter<T> CreateWriter(SinkContext context) =>
        context.TaskProducer is { } taskProducer ? new KafkaSinkWriter<T>(_options, _writeKey, _writeValue, taskProducer) { Metrics = context.Metrics, IsTombstone = _isTombstone }
        : _options.DeliveryGuarantee == DeliveryGuarantee.ExactlyOnce ? new KafkaExactlyOnceSinkWriter<T>(_options, context.SubtaskIndex, _writeKey, _writeValue) { Metrics = context.Metrics, IsTombstone = _isTombstone }
        : new KafkaSinkWriter<T>(_options, _writeKey, _writeValue) { Metrics = context.Metrics, IsTombstone = _isTombstone };
}
