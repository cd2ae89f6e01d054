using System.Buffers;
using System.Buffers.Binary;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// An array of items as a snapshot entry (a list state's elements, a map state's entries): big-endian int32 count,
/// then per item int32 length and the item's bytes. Thread-safe when the item serializer is.
/// </summary>
internal sealed class ArraySnapshotSerializer<T>(ISerializer<T> itemSerializer) : ISerializer<T[]>
{
    public void Serialize(T[] value, IBufferWriter<byte> output)
    {
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), value.Length);
        output.Advance(4);
        var scratch = new ArrayBufferWriter<byte>();
        foreach (var item in value)
        {
            scratch.ResetWrittenCount();
            itemSerializer.Serialize(item, scratch);
            BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), scratch.WrittenCount);
            output.Advance(4);
            output.Write(scratch.WrittenSpan);
        }
    }

    public T[] Deserialize(ReadOnlySpan<byte> input)
    {
        if (input.Length < 4)
        {
            throw new InvalidDataException("A snapshot array needs a 4-byte count.");
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(input);
        if (count < 0 || count > (input.Length - 4) / 4)
        {
            throw new InvalidDataException($"A snapshot array has a bad count ({count}).");
        }

        var items = new T[count];
        var at = 4;
        for (var i = 0; i < count; i++)
        {
            var length = input.Length - at >= 4 ? BinaryPrimitives.ReadInt32BigEndian(input[at..]) : -1;
            if (length < 0 || length > input.Length - at - 4)
            {
                throw new InvalidDataException($"A snapshot array is truncated at item {i} of {count}.");
            }

            items[i] = itemSerializer.Deserialize(input.Slice(at + 4, length));
            at += 4 + length;
        }

        if (at != input.Length)
        {
            throw new InvalidDataException("A snapshot array has trailing bytes.");
        }

        return items;
    }
}

/// <summary>A pair as a snapshot entry: big-endian int32 length and the first item's bytes, then the second item's bytes. Thread-safe when both serializers are.</summary>
internal sealed class PairSnapshotSerializer<T1, T2>(ISerializer<T1> first, ISerializer<T2> second) : ISerializer<(T1 First, T2 Second)>
{
    public void Serialize((T1 First, T2 Second) value, IBufferWriter<byte> output)
    {
        var scratch = new ArrayBufferWriter<byte>();
        first.Serialize(value.First, scratch);
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), scratch.WrittenCount);
        output.Advance(4);
        output.Write(scratch.WrittenSpan);
        second.Serialize(value.Second, output);
    }

    public (T1 First, T2 Second) Deserialize(ReadOnlySpan<byte> input)
    {
        var length = input.Length >= 4 ? BinaryPrimitives.ReadInt32BigEndian(input) : -1;
        if (length < 0 || length > input.Length - 4)
        {
            throw new InvalidDataException("A snapshot pair has a bad length.");
        }

        return (first.Deserialize(input.Slice(4, length)), second.Deserialize(input[(4 + length)..]));
    }
}
