using System.Buffers;
using System.Buffers.Binary;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.Windows;

/// <summary>A window as a snapshot entry: big-endian int64 start and end (16 bytes). Thread-safe.</summary>
internal sealed class WindowSerializer : ISerializer<TimeWindow>
{
    public static WindowSerializer Instance { get; } = new();

    public void Serialize(TimeWindow value, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(16);
        BinaryPrimitives.WriteInt64BigEndian(span, value.Start);
        BinaryPrimitives.WriteInt64BigEndian(span[8..], value.End);
        output.Advance(16);
    }

    public TimeWindow Deserialize(ReadOnlySpan<byte> input) =>
        input.Length == 16
            ? new TimeWindow(BinaryPrimitives.ReadInt64BigEndian(input), BinaryPrimitives.ReadInt64BigEndian(input[8..]))
            : throw new InvalidDataException($"A snapshot window needs 16 bytes, not {input.Length}.");
}
