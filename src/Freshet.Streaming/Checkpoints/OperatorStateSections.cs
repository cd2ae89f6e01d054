using System.Buffers.Binary;
using System.Text;

namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// The state file of one operator subtask: named sections, one per piece of state (each keyed state by name, timers,
/// window panes, a sink's committables, a source's position), so an operator can grow new sections and a restore can
/// tell which are present. Layout (big-endian): version byte 1, int32 section count, then per section int32 name
/// length, the name in UTF-8, int32 byte length and the bytes. The whole file is checksummed by the checkpoint's
/// manifest. Stateless; thread-safe.
/// </summary>
internal static class OperatorStateSections
{
    public static byte[] Encode(IReadOnlyList<(string Name, byte[] Bytes)> sections)
    {
        var length = 5;
        foreach (var (name, bytes) in sections)
        {
            length += 8 + Encoding.UTF8.GetByteCount(name) + bytes.Length;
        }

        var result = new byte[length];
        result[0] = 1;
        BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(1), sections.Count);
        var at = 5;
        foreach (var (name, bytes) in sections)
        {
            var nameLength = Encoding.UTF8.GetBytes(name, result.AsSpan(at + 4));
            BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(at), nameLength);
            at += 4 + nameLength;
            BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(at), bytes.Length);
            bytes.CopyTo(result, at + 4);
            at += 4 + bytes.Length;
        }

        return result;
    }

    /// <summary>Decodes <see cref="Encode"/>'s output; throws <see cref="InvalidDataException"/> on malformed input.</summary>
    public static IReadOnlyDictionary<string, byte[]> Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 5 || bytes[0] != 1)
        {
            throw new InvalidDataException("Not an operator state file (version 1 expected).");
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(bytes[1..]);
        var sections = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var at = 5;
        for (var i = 0; i < count; i++)
        {
            var name = Encoding.UTF8.GetString(ReadField(bytes, ref at, i));
            var body = ReadField(bytes, ref at, i).ToArray();
            if (!sections.TryAdd(name, body))
            {
                throw new InvalidDataException($"Operator state file has section '{name}' twice.");
            }
        }

        if (at != bytes.Length || count < 0)
        {
            throw new InvalidDataException("Operator state file has trailing bytes.");
        }

        return sections;
    }

    private static ReadOnlySpan<byte> ReadField(ReadOnlySpan<byte> bytes, ref int at, int section)
    {
        if (bytes.Length - at < 4)
        {
            throw new InvalidDataException($"Operator state file truncated in section {section}.");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(bytes[at..]);
        at += 4;
        if (length < 0 || length > bytes.Length - at)
        {
            throw new InvalidDataException($"Operator state file has a bad length in section {section}.");
        }

        var field = bytes.Slice(at, length);
        at += length;
        return field;
    }
}
