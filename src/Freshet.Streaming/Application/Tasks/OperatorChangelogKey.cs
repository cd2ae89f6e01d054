using System.Buffers.Binary;
using System.Text;

namespace Freshet.Streaming.Application.Tasks;

/// <summary>
/// The Kafka record key of an operator's changelog topic (<c>{applicationId}-{uid}-changelog</c>, one partition per
/// task, compacted). One topic holds everything an operator must restore: each keyed state's entries, and its other
/// checkpoint sections (timers, trigger state, source positions), so compaction keeps the newest record per key:
/// <list type="bullet">
/// <item>keyed state entry: <c>[version 1][kind 1][int16 backend][string state][key bytes]</c> — <c>backend</c> is
/// the keyed backend's number within the operator, in creation order (an operator may keep two);</item>
/// <item>section: <c>[version 1][kind 2][string section]</c>, the whole section as the value;</item>
/// </list>
/// where a string is an unsigned 16-bit big-endian length and UTF-8. A null value is a tombstone. Decoding hostile
/// bytes throws <see cref="InvalidDataException"/>. Pure; thread-safe.
/// </summary>
internal readonly record struct OperatorChangelogKey(OperatorChangelogKeyKind Kind, int Backend, string Name, byte[] StateKey)
{
    private const byte Version = 1;

    public static OperatorChangelogKey ForState(int backend, string stateName, byte[] stateKey) => new(OperatorChangelogKeyKind.StateEntry, backend, stateName, stateKey);

    public static OperatorChangelogKey ForSection(string section) => new(OperatorChangelogKeyKind.Section, 0, section, []);

    public byte[] Encode()
    {
        var name = Encoding.UTF8.GetBytes(Name);
        if (name.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"The name '{Name[..40]}…' is longer than a changelog key allows ({ushort.MaxValue} bytes).");
        }

        var stateHeader = Kind == OperatorChangelogKeyKind.StateEntry ? 2 : 0;
        var bytes = new byte[2 + stateHeader + 2 + name.Length + StateKey.Length];
        bytes[0] = Version;
        bytes[1] = (byte)Kind;
        var position = 2;
        if (stateHeader > 0)
        {
            BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(position), checked((short)Backend));
            position += 2;
        }

        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(position), (ushort)name.Length);
        position += 2;
        name.CopyTo(bytes.AsSpan(position));
        StateKey.CopyTo(bytes.AsSpan(position + name.Length));
        return bytes;
    }

    /// <exception cref="InvalidDataException">The bytes are not a changelog key of this version.</exception>
    public static OperatorChangelogKey Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4 || bytes[0] != Version)
        {
            throw new InvalidDataException(bytes.Length == 0
                ? "An operator changelog record has no key."
                : $"An operator changelog key has version {bytes[0]} or is too short ({bytes.Length} bytes); this Freshet reads version {Version}.");
        }

        var kind = (OperatorChangelogKeyKind)bytes[1];
        var position = 2;
        var backend = 0;
        switch (kind)
        {
            case OperatorChangelogKeyKind.StateEntry:
                if (bytes.Length < 6)
                {
                    throw new InvalidDataException($"An operator changelog state key is truncated ({bytes.Length} bytes).");
                }

                backend = BinaryPrimitives.ReadInt16BigEndian(bytes[position..]);
                position += 2;
                if (backend < 0)
                {
                    throw new InvalidDataException($"An operator changelog state key names backend {backend}.");
                }

                break;
            case OperatorChangelogKeyKind.Section:
                break;
            default:
                throw new InvalidDataException($"An operator changelog key has the unknown kind {bytes[1]}.");
        }

        var nameLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[position..]);
        position += 2;
        if (bytes.Length - position < nameLength)
        {
            throw new InvalidDataException($"An operator changelog key's name of {nameLength} bytes runs past the key's {bytes.Length} bytes.");
        }

        string name;
        try
        {
            name = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.Slice(position, nameLength));
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException("An operator changelog key's name is not valid UTF-8.", e);
        }

        var rest = bytes[(position + nameLength)..];
        if (kind == OperatorChangelogKeyKind.Section && !rest.IsEmpty)
        {
            throw new InvalidDataException($"An operator changelog section key '{name}' has {rest.Length} bytes after its name.");
        }

        return new OperatorChangelogKey(kind, backend, name, rest.ToArray());
    }
}
