using System.Buffers;
using Confluent.Kafka;
using Freshet.Shared;
using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Connectors.Kafka;

/// <summary>
/// One subtask of <see cref="KafkaSink{T}"/>: serializes each record's key and value, produces it asynchronously
/// (waiting while librdkafka's queue is full), and on <see cref="Flush"/> waits until every record is acknowledged.
/// The first delivery failure fails the next <see cref="Write"/> or <see cref="Flush"/>. A record's event time becomes
/// its Kafka timestamp (the producer's clock when it has none). Partitioning: the Java client's murmur2 of the key
/// bytes (librdkafka's <c>murmur2_random</c>: random for records without a key).
/// Thread-safety: called on the task thread; delivery reports arrive on librdkafka's thread and only set
/// <see cref="_deliveryError"/>.
/// </summary>
internal sealed class KafkaSinkWriter<T> : SinkWriter<T>
{
    private readonly KafkaSinkOptions _options;
    private readonly Action<T, IBufferWriter<byte>>? _writeKey;
    private readonly Action<T, IBufferWriter<byte>> _writeValue;
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Action<DeliveryReport<byte[]?, byte[]?>> _onDelivery;
    private readonly bool _ownsProducer;
    private volatile Error? _deliveryError;

    /// <param name="sharedProducer">
    /// An application task's producer to write through (its transaction then covers the sink's records; the task
    /// commits it), or null for a producer of the writer's own.
    /// </param>
    public KafkaSinkWriter(KafkaSinkOptions options, Action<T, IBufferWriter<byte>>? writeKey, Action<T, IBufferWriter<byte>> writeValue, IProducer<byte[]?, byte[]?>? sharedProducer = null)
    {
        _options = options;
        _writeKey = writeKey;
        _writeValue = writeValue;
        _onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                _deliveryError ??= report.Error;
            }
        };
        KafkaNativeLibrary.EnsureLoaded();
        _ownsProducer = sharedProducer is null;
        _producer = sharedProducer ?? new ProducerBuilder<byte[]?, byte[]?>(options.ProducerConfig()).Build();
    }

    /// <summary>The sink operator's counters; the bytes of keys and values handed to the producer are added once per <see cref="Write"/>. Null counts nothing.</summary>
    public Operators.OperatorMetricsCounter? Metrics { get; init; }

    /// <summary>True for a record produced without a value (a tombstone); null: every record has one.</summary>
    public Func<T, bool>? IsTombstone { get; init; }

    public override void Write(ReadOnlySpan<T> values, ReadOnlySpan<long> timestamps)
    {
        ThrowIfDeliveryFailed();
        long bytes = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var message = new Message<byte[]?, byte[]?>
            {
                Key = _writeKey is null ? null : Serialize(_writeKey, values[i]),
                Value = IsTombstone?.Invoke(values[i]) == true ? null : Serialize(_writeValue, values[i]),
                Timestamp = timestamps[i] == long.MinValue ? Timestamp.Default : new Timestamp(timestamps[i], TimestampType.CreateTime),
            };
            bytes += (message.Key?.Length ?? 0) + (message.Value?.Length ?? 0);
            Produce(message);
        }

        if (Metrics is { } metrics)
        {
            metrics.BytesOut += bytes;
        }
    }

    public override void Flush(bool endOfInput)
    {
        var remaining = _producer.Flush(_options.FlushTimeout);
        ThrowIfDeliveryFailed();
        if (remaining > 0)
        {
            throw new TimeoutException($"{remaining} records to Kafka topic '{_options.Topic}' were not acknowledged within {_options.FlushTimeout}.");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsProducer)
        {
            _producer.Dispose();
        }

        base.Dispose(disposing);
    }

    private byte[] Serialize(Action<T, IBufferWriter<byte>> write, T value)
    {
        _buffer.ResetWrittenCount();
        write(value, _buffer);
        return _buffer.WrittenSpan.ToArray();
    }

    private void Produce(Message<byte[]?, byte[]?> message)
    {
        while (true)
        {
            try
            {
                _producer.Produce(_options.Topic, message, _onDelivery);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Backpressure from librdkafka: serve delivery reports until the queue has room.
                _producer.Poll(TimeSpan.FromMilliseconds(50));
                ThrowIfDeliveryFailed();
            }
        }
    }

    private void ThrowIfDeliveryFailed()
    {
        if (_deliveryError is { } error)
        {
            throw new KafkaException(error);
        }
    }
}
