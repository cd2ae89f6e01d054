using System.Buffers;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.Windows;

/// <summary>
/// A <see cref="WindowedKey{TKey}"/> as bytes: the record key's bytes, then the window's 16 (big-endian start and end),
/// so in RocksDB one key's windows are neighbours, in order of start. Thread-safe when the key serializer is.
/// </summary>
internal sealed class WindowedKeySerializer<TKey>(ISerializer<TKey> keySerializer) : ISerializer<WindowedKey<TKey>>
{
    private const int WindowBytes = 16;

    public void Serialize(WindowedKey<TKey> value, IBufferWriter<byte> output)
    {
        keySerializer.Serialize(value.Key, output);
        WindowSerializer.Instance.Serialize(value.Window, output);
    }

    public WindowedKey<TKey> Deserialize(ReadOnlySpan<byte> input) =>
        input.Length >= WindowBytes
            ? new WindowedKey<TKey>(keySerializer.Deserialize(input[..^WindowBytes]), WindowSerializer.Instance.Deserialize(input[^WindowBytes..]))
            : throw new InvalidDataException("A windowed key is shorter than its window.");
}
