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

    public KafkaSink(KafkaSinkOptions options, Action<T, IBufferWriter<byte>>? writeKey, Action<T, IBufferWriter<byte>> writeValue)
    {
        _options = options;
        _writeKey = writeKey;
        _writeValue = writeValue;
    }

    public override SinkWriter<T> CreateWriter(SinkContext context) => _options.DeliveryGuarantee == DeliveryGuarantee.ExactlyOnce
        ? new KafkaExactlyOnceSinkWriter<T>(_options, context.SubtaskIndex, _writeKey, _writeValue)
        : new KafkaSinkWriter<T>(_options, _writeKey, _writeValue);
}
