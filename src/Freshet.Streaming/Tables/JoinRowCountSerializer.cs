using System.Buffers;
using System.Buffers.Binary;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.Tables;

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
