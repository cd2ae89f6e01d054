using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log;

namespace Freshet.Streaming.Connectors;

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

    public override void Write(ReadOnlySpan<T> values, ReadOnlySpan<long> timestamps)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var (key, value) = _serializer(values[i]);
            var partition = key is null ? _defaultPartition : (int)((uint)(Murmur2(key) & 0x7fffffff) % (uint)_partitions.Length);
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
    }

    public override void Flush(bool endOfInput)
    {
        foreach (var partition in _partitions)
        {
            partition.Flush();
        }
    }

    /// <summary>Kafka's murmur2 (the Java client's <c>Utils.murmur2</c>), for key-based partitioning compatible with Kafka producers.</summary>
    internal static int Murmur2(ReadOnlySpan<byte> data)
    {
        unchecked
        {
            const uint M = 0x5bd1e995;
            const int R = 24;
            var length = data.Length;
            var h = 0x9747b28c ^ (uint)length;
            var i = 0;
            for (; i + 4 <= length; i += 4)
            {
                var k = (uint)(data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
                k *= M;
                k ^= k >> R;
                k *= M;
                h *= M;
                h ^= k;
            }

            switch (length - i)
            {
                case 3:
                    h ^= (uint)data[i + 2] << 16;
                    h ^= (uint)data[i + 1] << 8;
                    h ^= data[i];
                    h *= M;
                    break;
                case 2:
                    h ^= (uint)data[i + 1] << 8;
                    h ^= data[i];
                    h *= M;
                    break;
                case 1:
                    h ^= data[i];
                    h *= M;
                    break;
            }

            h ^= h >> 13;
            h *= M;
            h ^= h >> 15;
            return (int)h;
        }
    }
}
