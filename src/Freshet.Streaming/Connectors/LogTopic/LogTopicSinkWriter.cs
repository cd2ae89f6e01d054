using Freshet.Log;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Connectors.LogTopic;

/// <summary>One subtask of <see cref="LogTopicSink{T}"/>: a batch builder per partition, appended after each input batch.</summary>
internal sealed class LogTopicSinkWriter<T> : SinkWriter<T>
{
    private readonly Func<T, (byte[]? Key, byte[]? Value)> _serializer;
    private readonly Partition[] _partitions;
    private readonly RecordBatchBuilder[] _builders;
    private readonly int _defaultPartition;

    public LogTopicSinkWriter(LogStore store, string topic, Func<T, (byte[]? Key, byte[]? Value)> serializer, int subtask)
    {
        _serializer = serializer;
        var count = store.DescribeTopic(topic).Partitions.Count;
        _partitions = new Partition[count];
        _builders = new RecordBatchBuilder[count];
        for (var p = 0; p < count; p++)
        {
            _partitions[p] = store.GetPartition(topic, p);
            _builders[p] = new RecordBatchBuilder();
        }

        _defaultPartition = subtask % count;
    }

    /// <summary>The sink operator's counters; the bytes of keys and values written are added once per <see cref="Write"/>. Null counts nothing.</summary>
    public Operators.OperatorMetricsCounter? Metrics { get; init; }

    public override void Write(ReadOnlySpan<T> values, ReadOnlySpan<long> timestamps)
    {
        long bytes = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var (key, value) = _serializer(values[i]);
            bytes += (key?.Length ?? 0) + (value?.Length ?? 0);
            var partition = key is null ? _defaultPartition : KafkaPartitioner.PartitionOf(key, _partitions.Length);
            var timestamp = timestamps[i] == long.MinValue ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() : timestamps[i];
            _builders[partition].Add(timestamp, key, value);
        }

        for (var p = 0; p < _builders.Length; p++)
        {
            if (_builders[p].Count > 0)
            {
                _partitions[p].Append(_builders[p].Build());
                _builders[p].Reset();
            }
        }

        if (Metrics is { } metrics)
        {
            metrics.BytesOut += bytes;
        }
    }

    public override void Flush(bool endOfInput)
    {
        foreach (var partition in _partitions)
        {
            partition.Flush();
        }
    }
}
