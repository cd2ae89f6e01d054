using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Freshet.Streaming.Runtime;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// The snapshot form of one keyed state of one operator subtask, written grouped by key group so that a restore at
/// another parallelism takes whole key groups (each subtask reads the groups of its <see cref="KeyGroups.RangeOf"/>
/// from every old subtask's file).
/// <para>Layout (big-endian): version byte 1, int32 number of key groups of the job (max parallelism), int32 number of
/// non-empty groups; per group in ascending order: int32 key group, int32 entry count, int64 byte length of the
/// group's entries; per entry: int32 key length, key bytes, int32 entry length, entry bytes.</para>
/// <para>Phases: <see cref="Capture"/> runs on the task thread and copies the (key, entry) references, sorted by key
/// group — the entries must be immutable values (as the heap value state's) or the caller must serialize on the task
/// thread; <see cref="Serialize"/> may then run on the thread pool. Stateless; thread-safe.</para>
/// </summary>
internal static class KeyGroupedStateSnapshot
{
    /// <summary>Synchronous phase: the entries with their key groups, sorted by key group.</summary>
    public static (int KeyGroup, TKey Key, TEntry Entry)[] Capture<TKey, TEntry>(IEnumerable<KeyValuePair<TKey, TEntry>> entries, int maxParallelism)
        where TKey : notnull
    {
        var captured = new List<(int, TKey, TEntry)>();
        foreach (var (key, entry) in entries)
        {
            captured.Add((HeapKeyedState<TKey, TEntry>.KeyGroupOf(key, maxParallelism), key, entry));
        }

        var array = captured.ToArray();
        Array.Sort(array, static (a, b) => a.Item1.CompareTo(b.Item1));
        return array;
    }

    /// <summary>
    /// Both phases for entries that may be mutated in place after the snapshot (an accumulator an aggregate function
    /// updates and returns): entries of an unmanaged type (no references: a number, a tuple of numbers) or strings are
    /// captured and serialized later; any other entry is serialized now, on the task thread, because a copied
    /// reference would see later changes.
    /// </summary>
    public static Func<byte[]> Snapshot<TKey, TEntry>(IEnumerable<KeyValuePair<TKey, TEntry>> entries, int maxParallelism, ISerializer<TKey> keySerializer, ISerializer<TEntry> entrySerializer)
        where TKey : notnull
    {
        var captured = Capture(entries, maxParallelism);
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<TEntry>() || typeof(TEntry) == typeof(string))
        {
            return () => Serialize(captured, maxParallelism, keySerializer, entrySerializer);
        }

        var bytes = Serialize(captured, maxParallelism, keySerializer, entrySerializer);
        return () => bytes;
    }

    /// <summary>Asynchronous phase: encodes captured entries.</summary>
    public static byte[] Serialize<TKey, TEntry>((int KeyGroup, TKey Key, TEntry Entry)[] captured, int maxParallelism, ISerializer<TKey> keySerializer, ISerializer<TEntry> entrySerializer)
    {
        var groups = new ArrayBufferWriter<byte>();
        var scratch = new ArrayBufferWriter<byte>();
        var groupCount = 0;
        var i = 0;
        while (i < captured.Length)
        {
            var group = captured[i].KeyGroup;
            var body = new ArrayBufferWriter<byte>();
            var count = 0;
            for (; i < captured.Length && captured[i].KeyGroup == group; i++)
            {
                WriteField(body, scratch, captured[i].Key, keySerializer);
                WriteField(body, scratch, captured[i].Entry, entrySerializer);
                count++;
            }

            var header = groups.GetSpan(16);
            BinaryPrimitives.WriteInt32BigEndian(header, group);
            BinaryPrimitives.WriteInt32BigEndian(header[4..], count);
            BinaryPrimitives.WriteInt64BigEndian(header[8..], body.WrittenCount);
            groups.Advance(16);
            groups.Write(body.WrittenSpan);
            groupCount++;
        }

        var result = new byte[9 + groups.WrittenCount];
        result[0] = 1;
        BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(1), maxParallelism);
        BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(5), groupCount);
        groups.WrittenSpan.CopyTo(result.AsSpan(9));
        return result;
    }

    /// <summary>
    /// Decodes the entries of the key groups in <paramref name="keyGroupRange"/> (inclusive) and hands each to
    /// <paramref name="restore"/>; groups outside the range are skipped without decoding. Throws
    /// <see cref="InvalidDataException"/> on malformed input or a different number of key groups.
    /// </summary>
    public static int Restore<TKey, TEntry>(ReadOnlySpan<byte> snapshot, int maxParallelism, (int First, int Last) keyGroupRange, ISerializer<TKey> keySerializer, ISerializer<TEntry> entrySerializer, Action<TKey, TEntry> restore)
    {
        if (snapshot.Length < 9 || snapshot[0] != 1)
        {
            throw new InvalidDataException("Not a keyed state snapshot (version 1 expected).");
        }

        var written = BinaryPrimitives.ReadInt32BigEndian(snapshot[1..]);
        if (written != maxParallelism)
        {
            throw new InvalidDataException($"The keyed state was written with {written} key groups (max parallelism) but the job has {maxParallelism}; key groups can only be redistributed at the same max parallelism.");
        }

        var groupCount = BinaryPrimitives.ReadInt32BigEndian(snapshot[5..]);
        var at = 9;
        var restored = 0;
        for (var g = 0; g < groupCount; g++)
        {
            if (snapshot.Length - at < 16)
            {
                throw new InvalidDataException($"Keyed state snapshot truncated at key group {g} of {groupCount}.");
            }

            var group = BinaryPrimitives.ReadInt32BigEndian(snapshot[at..]);
            var count = BinaryPrimitives.ReadInt32BigEndian(snapshot[(at + 4)..]);
            var length = BinaryPrimitives.ReadInt64BigEndian(snapshot[(at + 8)..]);
            at += 16;
            if (group < 0 || group >= maxParallelism || count < 0 || length < 0 || length > snapshot.Length - at)
            {
                throw new InvalidDataException($"Keyed state snapshot has a malformed header for key group entry {g}.");
            }

            var body = snapshot.Slice(at, (int)length);
            at += (int)length;
            if (group < keyGroupRange.First || group > keyGroupRange.Last)
            {
                continue;
            }

            var offset = 0;
            for (var e = 0; e < count; e++)
            {
                var key = keySerializer.Deserialize(ReadField(body, ref offset));
                var entry = entrySerializer.Deserialize(ReadField(body, ref offset));
                restore(key, entry);
                restored++;
            }

            if (offset != body.Length)
            {
                throw new InvalidDataException($"Key group {group} of the keyed state snapshot has trailing bytes.");
            }
        }

        if (at != snapshot.Length)
        {
            throw new InvalidDataException("Keyed state snapshot has trailing bytes.");
        }

        return restored;
    }

    private static void WriteField<TValue>(ArrayBufferWriter<byte> output, ArrayBufferWriter<byte> scratch, TValue value, ISerializer<TValue> serializer)
    {
        scratch.ResetWrittenCount();
        serializer.Serialize(value, scratch);
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), scratch.WrittenCount);
        output.Advance(4);
        output.Write(scratch.WrittenSpan);
    }

    private static ReadOnlySpan<byte> ReadField(ReadOnlySpan<byte> body, ref int offset)
    {
        if (body.Length - offset < 4)
        {
            throw new InvalidDataException("Keyed state snapshot entry truncated.");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(body[offset..]);
        offset += 4;
        if (length < 0 || length > body.Length - offset)
        {
            throw new InvalidDataException("Keyed state snapshot entry has a bad length.");
        }

        var field = body.Slice(offset, length);
        offset += length;
        return field;
    }
}
