using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State.Heap;

namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// The snapshot form of one keyed state of one operator subtask, written grouped by key group so that a restore at
/// another parallelism takes whole key groups (each subtask reads the groups of its <see cref="Keys.KeyGroups.RangeOf"/>
/// from every old subtask's file).
/// <para>Layout (big-endian): version byte 1, int32 number of key groups of the job (max parallelism), int32 number of
/// non-empty groups; per group in ascending order: int32 key group, int32 entry count, int64 byte length of the
/// group's entries; per entry: int32 key length, key bytes, int32 entry length, entry bytes.</para>
/// <para>Phases: <c>Capture</c> runs on the task thread and copies the (key, entry) references, sorted by key
/// group — the entries must be immutable values (as the heap value state's) or the caller must serialize on the task
/// thread; <see cref="Serialize"/> may then run on the thread pool. Stateless; thread-safe.</para>
/// <para>The layout is written in one place, <see cref="KeyGroupedStateWriter"/>, and read in one place,
/// <see cref="RestoreRaw"/>; the RocksDB backend (<c>RocksDbStateSnapshot</c>) uses both directly with stored bytes.</para>
/// </summary>
internal static class KeyGroupedStateSnapshot
{
    /// <summary>Synchronous phase: the entries with their key groups, sorted by key group.</summary>
    public static (int KeyGroup, TKey Key, TEntry Entry)[] Capture<TKey, TEntry>(IEnumerable<KeyValuePair<TKey, TEntry>> entries, int maxParallelism)
        where TKey : notnull =>
        Capture(entries, key => HeapKeyedState<TKey, TEntry>.KeyGroupOf(key, maxParallelism));

    /// <summary>Synchronous phase: the entries with their key groups (<paramref name="keyGroupOf"/> of the key), sorted by key group.</summary>
    public static (int KeyGroup, TKey Key, TEntry Entry)[] Capture<TKey, TEntry>(IEnumerable<KeyValuePair<TKey, TEntry>> entries, Func<TKey, int> keyGroupOf)
        where TKey : notnull
    {
        var captured = new List<(int, TKey, TEntry)>();
        foreach (var (key, entry) in entries)
        {
            captured.Add((keyGroupOf(key), key, entry));
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
        where TKey : notnull =>
        Snapshot(entries, maxParallelism, key => HeapKeyedState<TKey, TEntry>.KeyGroupOf(key, maxParallelism), keySerializer, entrySerializer, MayBeMutatedInPlace<TEntry>());

    /// <summary>
    /// Both phases with the key groups of <paramref name="keyGroupOf"/>: the entries are serialized now, on the task
    /// thread, when <paramref name="serializeNow"/> (their values may change in place after the snapshot), otherwise
    /// captured now and serialized when the returned function runs.
    /// </summary>
    public static Func<byte[]> Snapshot<TKey, TEntry>(IEnumerable<KeyValuePair<TKey, TEntry>> entries, int maxParallelism, Func<TKey, int> keyGroupOf, ISerializer<TKey> keySerializer, ISerializer<TEntry> entrySerializer, bool serializeNow)
        where TKey : notnull
    {
        var captured = Capture(entries, keyGroupOf);
        if (!serializeNow)
        {
            return () => Serialize(captured, maxParallelism, keySerializer, entrySerializer);
        }

        var bytes = Serialize(captured, maxParallelism, keySerializer, entrySerializer);
        return () => bytes;
    }

    /// <summary>
    /// Whether a stored <typeparamref name="T"/> may change after it is captured: any type holding references except
    /// strings (an unmanaged value — a number, a tuple of numbers — is copied by the capture; a string is immutable).
    /// </summary>
    public static bool MayBeMutatedInPlace<T>() => RuntimeHelpers.IsReferenceOrContainsReferences<T>() && typeof(T) != typeof(string);

    /// <summary>Version byte of the layout.</summary>
    public const byte Version = 1;

    /// <summary>Bytes before the first group: version, max parallelism, group count.</summary>
    public const int HeaderBytes = 9;

    /// <summary>Receives one entry of <see cref="RestoreRaw"/>; the spans are valid only during the call.</summary>
    public delegate void RawEntryVisitor(int keyGroup, ReadOnlySpan<byte> key, ReadOnlySpan<byte> entry);

    /// <summary>Asynchronous phase: encodes captured entries.</summary>
    public static byte[] Serialize<TKey, TEntry>((int KeyGroup, TKey Key, TEntry Entry)[] captured, int maxParallelism, ISerializer<TKey> keySerializer, ISerializer<TEntry> entrySerializer)
    {
        var writer = new KeyGroupedStateWriter(maxParallelism);
        var key = new ArrayBufferWriter<byte>();
        var entry = new ArrayBufferWriter<byte>();
        foreach (var (group, capturedKey, capturedEntry) in captured)
        {
            key.ResetWrittenCount();
            keySerializer.Serialize(capturedKey, key);
            entry.ResetWrittenCount();
            entrySerializer.Serialize(capturedEntry, entry);
            writer.Add(group, key.WrittenSpan, entry.WrittenSpan);
        }

        return writer.ToArray();
    }

    /// <summary>
    /// Decodes the entries of the key groups in <paramref name="keyGroupRange"/> (inclusive) and hands each to
    /// <paramref name="restore"/>; groups outside the range are skipped without decoding. Throws
    /// <see cref="InvalidDataException"/> on malformed input or a different number of key groups.
    /// </summary>
    public static int Restore<TKey, TEntry>(ReadOnlySpan<byte> snapshot, int maxParallelism, (int First, int Last) keyGroupRange, ISerializer<TKey> keySerializer, ISerializer<TEntry> entrySerializer, Action<TKey, TEntry> restore) =>
        checked((int)RestoreRaw(snapshot, maxParallelism, keyGroupRange, (_, key, entry) => restore(keySerializer.Deserialize(key), entrySerializer.Deserialize(entry))));

    /// <summary>
    /// Walks the entries of the key groups in <paramref name="keyGroupRange"/> (inclusive) as raw bytes and hands each
    /// to <paramref name="visitor"/> (null: only validate), returning how many there were; groups outside the range are
    /// skipped by their length without decoding their entries. Throws <see cref="InvalidDataException"/> on malformed
    /// input (bad version, truncation, bad lengths, groups out of order, trailing bytes) or a different number of key
    /// groups. Entries before the malformed spot have already been visited when it throws: a caller that must not
    /// apply half a snapshot validates first (visitor null), then applies.
    /// </summary>
    public static long RestoreRaw(ReadOnlySpan<byte> snapshot, int maxParallelism, (int First, int Last) keyGroupRange, RawEntryVisitor? visitor)
    {
        if (snapshot.Length < HeaderBytes || snapshot[0] != Version)
        {
            throw new InvalidDataException("Not a keyed state snapshot (version 1 expected).");
        }

        var written = BinaryPrimitives.ReadInt32BigEndian(snapshot[1..]);
        if (written != maxParallelism)
        {
            throw new InvalidDataException($"The keyed state was written with {written} key groups (max parallelism) but the job has {maxParallelism}; key groups can only be redistributed at the same max parallelism.");
        }

        var groupCount = BinaryPrimitives.ReadInt32BigEndian(snapshot[5..]);
        if (groupCount < 0 || groupCount > maxParallelism)
        {
            throw new InvalidDataException($"Keyed state snapshot claims {groupCount} key groups of {maxParallelism}.");
        }

        var at = HeaderBytes;
        var previousGroup = -1;
        long restored = 0;
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
            if (group <= previousGroup || group >= maxParallelism || count < 0 || length < 0 || length > snapshot.Length - at)
            {
                throw new InvalidDataException($"Keyed state snapshot has a malformed header for key group entry {g}.");
            }

            previousGroup = group;
            var body = snapshot.Slice(at, (int)length);
            at += (int)length;
            if (group < keyGroupRange.First || group > keyGroupRange.Last)
            {
                continue;
            }

            var offset = 0;
            for (var e = 0; e < count; e++)
            {
                var key = ReadField(body, ref offset);
                var entry = ReadField(body, ref offset);
                visitor?.Invoke(group, key, entry);
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
