namespace Freshet.Log.Partitions;

/// <summary>
/// Kafka's default partitioner for keyed records: the murmur2 hash of the key bytes, as the Java client and
/// librdkafka's <c>murmur2_random</c> compute it, so Freshet writers put a key in the same partition as other Kafka
/// producers do. Pure; thread-safe.
/// </summary>
public static class KafkaPartitioner
{
    /// <summary>The partition of <paramref name="key"/> among <paramref name="partitions"/>.</summary>
    public static int PartitionOf(ReadOnlySpan<byte> key, int partitions) => (int)((uint)(Murmur2(key) & 0x7fffffff) % (uint)partitions);

    /// <summary>Kafka's <c>Utils.murmur2</c> (seed 0x9747b28c).</summary>
    public static int Murmur2(ReadOnlySpan<byte> data)
    {
        unchecked
        {
            const uint M = 0x5bd1e995;
            var length = data.Length;
            var h = 0x9747b28c ^ (uint)length;
            var i = 0;
            for (; i + 4 <= length; i += 4)
            {
                var k = (uint)(data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
                k *= M;
                k ^= k >> 24;
                k *= M;
                h *= M;
                h ^= k;
            }

            switch (length - i)
            {
                case 3:
                    h ^= (uint)data[i + 2] << 16;
                    goto case 2;
                case 2:
                    h ^= (uint)data[i + 1] << 8;
                    goto case 1;
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
