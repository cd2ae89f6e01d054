using System.Buffers;
using System.Buffers.Binary;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.Tables;

/// <summary>
/// What a changelog join stores per distinct row of one side and key: how many copies of the row the side holds
/// (<see cref="Count"/>, at least 1 while stored) and, for an outer side, how many rows of the other side (copies
/// counted) it matches (<see cref="Associations"/>; 0 means its copies are currently emitted padded). Flink's
/// <c>OuterJoinRecordStateView</c> keeps the same pair.
/// </summary>
internal readonly record struct JoinRowCount(long Count, long Associations);

/// <summary>Writes a <see cref="JoinRowCount"/> as two big-endian 64-bit integers (16 bytes). Stateless, thread-safe.</summary>
internal sealed class JoinRowCountSerializer : ISerializer<JoinRowCount>
{
    public static JoinRowCountSerializer Instance { get; } = new();

    public void Serialize(JoinRowCount value, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(16);
        BinaryPrimitives.WriteInt64BigEndian(span, value.Count);
        BinaryPrimitives.WriteInt64BigEndian(span[8..], value.Associations);
        output.Advance(16);
    }

    public JoinRowCount Deserialize(ReadOnlySpan<byte> input)
    {
        if (input.Length != 16)
        {
            throw Serializers.Invalid<JoinRowCount>($"expected 16 bytes, got {input.Length}");
        }

        return new JoinRowCount(BinaryPrimitives.ReadInt64BigEndian(input), BinaryPrimitives.ReadInt64BigEndian(input[8..]));
    }
}
