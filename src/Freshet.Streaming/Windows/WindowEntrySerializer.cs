using System.Buffers;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.Windows;

/// <summary>A window and a value as a snapshot entry: the window's 16 bytes, then the value's bytes. Thread-safe when the value serializer is.</summary>
internal sealed class WindowEntrySerializer<T>(ISerializer<T> valueSerializer) : ISerializer<(TimeWindow Window, T Value)>
{
    public void Serialize((TimeWindow Window, T Value) entry, IBufferWriter<byte> output)
    {
        WindowSerializer.Instance.Serialize(entry.Window, output);
        valueSerializer.Serialize(entry.Value, output);
    }

    public (TimeWindow Window, T Value) Deserialize(ReadOnlySpan<byte> input) =>
        input.Length >= 16
            ? (WindowSerializer.Instance.Deserialize(input[..16]), valueSerializer.Deserialize(input[16..]))
            : throw new InvalidDataException("A snapshot window entry is shorter than its window.");
}
