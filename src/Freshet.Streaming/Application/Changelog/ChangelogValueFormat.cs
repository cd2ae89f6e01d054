using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Application.Changelog;

/// <summary>
/// The value of a changelog record: one key's whole contents in one keyed state, so that the newest record of a key
/// is all a restore needs (the topic is compacted). A null value (a tombstone) means the state holds nothing for the
/// key. Layout, integers big-endian:
/// <code>
/// [version: byte = 1][kind: byte, ChangelogStateKind]
///   Value, Reducing, Aggregating: [the value (accumulator) as the state's serializer writes it, to the end]
///   List:  [int32 count] count × ([int32 length][element])
///   Map:   [int32 count] count × ([int32 length][user key][int32 length][value])
/// </code>
/// Values are encoded with the descriptor's serializer, or <c>Serializers.Default</c> when it names none (the one the
/// RocksDB backend uses), so a change written over one inner backend applies over the other. Decoding checks every
/// length and count against the bytes left before it allocates, so hostile bytes cost no more memory than their own
/// size; every failure is an <see cref="InvalidDataException"/> naming the state. Thread-safe (stateless).
/// </summary>
internal static class ChangelogValueFormat
{
    /// <summary>The layout version this code writes and reads.</summary>
    public const byte Version = 1;

    /// <summary>Bytes of the version and kind in front of every value.</summary>
    public const int HeaderBytes = 2;

    /// <summary>Bytes of a count or length.</summary>
    public const int LengthBytes = 4;

    /// <summary>Starts a value of <paramref name="kind"/>.</summary>
    public static void WriteHeader(IBufferWriter<byte> output, ChangelogStateKind kind)
    {
        var span = output.GetSpan(HeaderBytes);
        span[0] = Version;
        span[1] = (byte)kind;
        output.Advance(HeaderBytes);
    }

    /// <summary>Writes the element or entry count of a list or map.</summary>
    public static void WriteCount(IBufferWriter<byte> output, int count)
    {
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(LengthBytes), count);
        output.Advance(LengthBytes);
    }

    /// <summary>Writes <paramref name="value"/> behind its int32 length (a list element, a map's user key or value).</summary>
    public static void WriteSized<T>(ArrayBufferWriter<byte> output, ISerializer<T> serializer, T value)
    {
        var lengthAt = output.WrittenCount;
        output.GetSpan(LengthBytes);
        output.Advance(LengthBytes);
        serializer.Serialize(value, output);
        var length = output.WrittenCount - lengthAt - LengthBytes;

        // The length is known only once the value is written: patch the slot reserved in front of it.
        BinaryPrimitives.WriteInt32BigEndian(MemoryMarshal.AsMemory(output.WrittenMemory).Span.Slice(lengthAt, LengthBytes), length);
    }

    /// <summary>
    /// Checks the header of <paramref name="value"/> against the state it is applied to and returns a reader of the
    /// rest. Throws <see cref="InvalidDataException"/> for an unknown version and <see cref="InvalidOperationException"/>
    /// when the record was written by a state of another kind under the same name.
    /// </summary>
    public static ChangelogValueReader Open(ReadOnlySpan<byte> value, string stateName, ChangelogStateKind expected)
    {
        if (value.Length < HeaderBytes)
        {
            throw Malformed(stateName, $"{value.Length} bytes are too few for its header");
        }

        if (value[0] != Version)
        {
            throw Malformed(stateName, $"layout version {value[0]} is not known (this version reads {Version})");
        }

        var kind = (ChangelogStateKind)value[1];
        if (!Enum.IsDefined(kind))
        {
            throw Malformed(stateName, $"kind {value[1]} is not known");
        }

        if (kind != expected)
        {
            throw new InvalidOperationException(
                $"The changelog of state '{stateName}' holds {kind} state, but the state is now declared as {expected} state; keep the state's kind, or give it a new name.");
        }

        return new ChangelogValueReader(value[HeaderBytes..], stateName);
    }

    /// <summary>Reads <paramref name="bytes"/> with <paramref name="serializer"/>, turning its failure into an <see cref="InvalidDataException"/> naming the state.</summary>
    public static T Deserialize<T>(ISerializer<T> serializer, ReadOnlySpan<byte> bytes, string stateName, string part)
    {
        try
        {
            return serializer.Deserialize(bytes);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"The changelog record of state '{stateName}' is malformed: its {part} cannot be read ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Writes the contents of a state kept as one value (value, reducing, aggregating): the header of
    /// <paramref name="kind"/> and the value; false (nothing written) when the key has none.
    /// </summary>
    public static bool TryWriteSingle<T>(ValueState<T> inner, ChangelogStateKind kind, ISerializer<T> serializer, ArrayBufferWriter<byte> output)
    {
        if (!inner.TryGetValue(out var value))
        {
            return false;
        }

        WriteHeader(output, kind);
        serializer.Serialize(value, output);
        return true;
    }

    /// <summary>Makes a state kept as one value hold exactly the logged <paramref name="value"/>, or nothing for a tombstone.</summary>
    /// <param name="part">What the value is, for errors ("value", "accumulator").</param>
    public static void ApplySingle<T>(ValueState<T> inner, ReadOnlySpan<byte> value, bool isTombstone, string stateName, ChangelogStateKind kind, ISerializer<T> serializer, string part)
    {
        if (isTombstone)
        {
            inner.Clear();
            return;
        }

        var reader = Open(value, stateName, kind);
        inner.Update(Deserialize(serializer, reader.ReadToEnd(), stateName, part));
    }

    /// <summary>The error for a malformed record of <paramref name="stateName"/>.</summary>
    public static InvalidDataException Malformed(string stateName, string problem) =>
        new($"The changelog record of state '{stateName}' is malformed: {problem}.");
}
