using System.Buffers;
using System.Buffers.Binary;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.Tables;

/// <summary>
/// What a changelog aggregation keeps per group: how many rows the group holds (additions minus withdrawals, always
/// positive while the entry exists) and the accumulator of those rows. Immutable.
/// </summary>
internal readonly record struct GroupState<TAcc>(long RowCount, TAcc Accumulator);

/// <summary>
/// Bytes of a <see cref="GroupState{TAcc}"/> in RocksDB and snapshots: the row count as a big-endian int64, then the
/// accumulator's bytes as <see cref="Accumulator"/> writes them. Stateless, so safe from any thread.
/// </summary>
internal sealed class GroupStateSerializer<TAcc> : ISerializer<GroupState<TAcc>>
{
    public GroupStateSerializer(ISerializer<TAcc> accumulator)
    {
        Accumulator = accumulator;
    }

    public ISerializer<TAcc> Accumulator { get; }

    public void Serialize(GroupState<TAcc> value, IBufferWriter<byte> output)
    {
        BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(8), value.RowCount);
        output.Advance(8);
        Accumulator.Serialize(value.Accumulator, output);
    }

    public GroupState<TAcc> Deserialize(ReadOnlySpan<byte> input)
    {
        if (input.Length < 8)
        {
            throw new System.Runtime.Serialization.SerializationException($"A group's state needs at least 8 bytes (its row count); got {input.Length}.");
        }

        return new GroupState<TAcc>(BinaryPrimitives.ReadInt64BigEndian(input), Accumulator.Deserialize(input[8..]));
    }
}
