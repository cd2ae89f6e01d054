using System.Buffers;
using System.Buffers.Binary;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.State;

/// <summary>
/// Encodes a heap value state's entry: the big-endian int64 stamp (ms, for time-to-live) followed by the value as
/// <see cref="ValueSerializer"/> encodes it. Thread-safe when the value serializer is.
/// </summary>
internal sealed class StampedValueSerializer<T>(ISerializer<T> valueSerializer) : ISerializer<StampedValue<T>>
{
    public ISerializer<T> ValueSerializer { get; } = valueSerializer;

    public void Serialize(StampedValue<T> value, IBufferWriter<byte> output)
    {
        BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(8), value.StampMs);
        output.Advance(8);
        ValueSerializer.Serialize(value.Value, output);
    }

    public StampedValue<T> Deserialize(ReadOnlySpan<byte> input)
    {
        if (input.Length < 8)
        {
            throw new InvalidDataException("A stamped state value needs at least 8 bytes.");
        }

        return new StampedValue<T>(ValueSerializer.Deserialize(input[8..]), BinaryPrimitives.ReadInt64BigEndian(input));
    }
}
