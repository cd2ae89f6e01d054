using System.Buffers.Binary;

namespace Freshet.Streaming.Connectors;

/// <summary>
/// The checkpoint position of a partitioned source (log topic, Kafka): the next offset of each partition a reader owns.
/// Layout (big-endian): version byte 1, int32 partition count, then per partition int32 partition id and int64 offset.
/// Stateless; thread-safe.
/// </summary>
internal static class PartitionOffsetsPosition
{
    private const byte Version = 1;

    /// <summary>Writes the position of <paramref name="count"/> partitions, the i-th given by <paramref name="at"/>(i).</summary>
    public static byte[] Encode(int count, Func<int, (int Partition, long Offset)> at)
    {
        var position = new byte[5 + (12 * count)];
        position[0] = Version;
        BinaryPrimitives.WriteInt32BigEndian(position.AsSpan(1), count);
        for (var i = 0; i < count; i++)
        {
            var (partition, offset) = at(i);
            BinaryPrimitives.WriteInt32BigEndian(position.AsSpan(5 + (12 * i)), partition);
            BinaryPrimitives.WriteInt64BigEndian(position.AsSpan(9 + (12 * i)), offset);
        }

        return position;
    }

    /// <summary>Reads a position written by <see cref="Encode"/>.</summary>
    /// <param name="sourceKind">Named in errors, e.g. "log topic source".</param>
    /// <exception cref="ArgumentException">The bytes are not such a position (wrong version, length, or a negative partition or offset).</exception>
    public static (int Partition, long Offset)[] Decode(byte[] position, string sourceKind)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (position.Length < 5 || position[0] != Version)
        {
            throw new ArgumentException($"Not a {sourceKind} position (version {Version} expected).", nameof(position));
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(position.AsSpan(1));
        if (count < 0 || position.Length != 5 + (12L * count))
        {
            throw new ArgumentException($"A {sourceKind} position of {position.Length} bytes does not hold {count} partitions.", nameof(position));
        }

        var offsets = new (int Partition, long Offset)[count];
        for (var i = 0; i < count; i++)
        {
            var partition = BinaryPrimitives.ReadInt32BigEndian(position.AsSpan(5 + (12 * i)));
            var offset = BinaryPrimitives.ReadInt64BigEndian(position.AsSpan(9 + (12 * i)));
            if (partition < 0 || offset < 0)
            {
                throw new ArgumentException($"A {sourceKind} position names partition {partition} at offset {offset}.", nameof(position));
            }

            offsets[i] = (partition, offset);
        }

        return offsets;
    }
}
