using System.Buffers;

namespace Freshet.Streaming.Connectors;

/// <summary>
/// Writes to a Kafka topic through a Confluent.Kafka producer per subtask (see <see cref="KafkaSinkWriter{T}"/>).
/// At-least-once: every record is acknowledged by the cluster before end of input completes; exactly-once through
/// Kafka transactions comes with checkpoints.
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

    public override SinkWriter<T> CreateWriter(SinkContext context) => new KafkaSinkWriter<T>(_options, _writeKey, _writeValue);
}
