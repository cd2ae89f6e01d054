using CsCheck;
using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Keys;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.State.Heap;

namespace Freshet.Streaming.Tests.Checkpoints;

public sealed class KeyGroupedStateSnapshotTests
{
    private const int MaxParallelism = 128;
    private static readonly StampedValueSerializer<long> EntrySerializer = new(Serializers.Int64);

    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 4)]
    [InlineData(3, 2)]
    [InlineData(1, 1)]
    public void SnapshotAtOneParallelism_RestoredAtAnother_EveryKeyOnceInItsOwningSubtask(int oldParallelism, int newParallelism)
    {
        var expected = Enumerable.Range(0, 2000).ToDictionary(i => "key-" + i, i => (long)i * 7);

        // The old job: each subtask holds the keys of its key groups.
        var snapshots = new List<byte[]>();
        for (var subtask = 0; subtask < oldParallelism; subtask++)
        {
            var (store, key) = NewStore();
            var range = KeyGroups.RangeOf(subtask, MaxParallelism, oldParallelism);
            foreach (var (k, v) in expected)
            {
                var group = HeapKeyedState<string, StampedValue<long>>.KeyGroupOf(k, MaxParallelism);
                if (group >= range.First && group <= range.Last)
                {
                    key.Current = k;
                    key.IsSet = true;
                    store.Write(v);
                }
            }

            var captured = KeyGroupedStateSnapshot.Capture(store.SnapshotEntries(), MaxParallelism);
            snapshots.Add(KeyGroupedStateSnapshot.Serialize(captured, MaxParallelism, Serializers.Utf8String, EntrySerializer));
        }

        // The new job: each subtask reads its key groups from every old subtask's snapshot.
        var seen = new Dictionary<string, long>();
        for (var subtask = 0; subtask < newParallelism; subtask++)
        {
            var (store, key) = NewStore();
            var range = KeyGroups.RangeOf(subtask, MaxParallelism, newParallelism);
            foreach (var snapshot in snapshots)
            {
                KeyGroupedStateSnapshot.Restore(snapshot, MaxParallelism, range, Serializers.Utf8String, EntrySerializer, store.RestoreEntry);
            }

            foreach (var (k, _) in store.SnapshotEntries())
            {
                var group = HeapKeyedState<string, StampedValue<long>>.KeyGroupOf(k, MaxParallelism);
                Assert.InRange(group, range.First, range.Last);
                key.Current = k;
                key.IsSet = true;
                Assert.True(store.TryRead(out var value));
                Assert.True(seen.TryAdd(k, value), $"key {k} restored twice");
            }
        }

        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), seen.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Restore_DifferentMaxParallelism_ClearError()
    {
        var snapshot = KeyGroupedStateSnapshot.Serialize(
            KeyGroupedStateSnapshot.Capture([new KeyValuePair<string, StampedValue<long>>("a", new(1, 0))], MaxParallelism),
            MaxParallelism, Serializers.Utf8String, EntrySerializer);

        var error = Assert.Throws<InvalidDataException>(() =>
            KeyGroupedStateSnapshot.Restore(snapshot, 256, (0, 255), Serializers.Utf8String, EntrySerializer, (_, _) => { }));
        Assert.Contains("128 key groups", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_TruncatedOrExtended_InvalidDataNeverOtherException()
    {
        var entries = Enumerable.Range(0, 20).Select(i => new KeyValuePair<string, StampedValue<long>>("k" + i, new(i, i * 10L)));
        var snapshot = KeyGroupedStateSnapshot.Serialize(KeyGroupedStateSnapshot.Capture(entries, MaxParallelism), MaxParallelism, Serializers.Utf8String, EntrySerializer);
        var count = KeyGroupedStateSnapshot.Restore(snapshot, MaxParallelism, (0, MaxParallelism - 1), Serializers.Utf8String, EntrySerializer, (_, _) => { });
        Assert.Equal(20, count);

        for (var length = 0; length < snapshot.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() =>
                KeyGroupedStateSnapshot.Restore(snapshot.AsSpan(0, length), MaxParallelism, (0, MaxParallelism - 1), Serializers.Utf8String, EntrySerializer, (_, _) => { }));
        }

        Assert.Throws<InvalidDataException>(() =>
            KeyGroupedStateSnapshot.Restore([.. snapshot, 0], MaxParallelism, (0, MaxParallelism - 1), Serializers.Utf8String, EntrySerializer, (_, _) => { }));
    }

    [Fact]
    public void WriterThenRestoreRaw_AnyEntriesAndRange_TheEntriesOfTheRangeInOrder()
    {
        var entries = Gen.Select(Gen.Int[0, MaxParallelism - 1], Gen.Byte.Array[0, 6], Gen.Byte.Array[0, 6]).Array[0, 80];
        Gen.Select(entries, Gen.Int[0, MaxParallelism - 1], Gen.Int[0, MaxParallelism - 1]).Sample((input, a, b) =>
        {
            var sorted = input.OrderBy(e => e.Item1).ToArray();
            var writer = new KeyGroupedStateWriter(MaxParallelism, capacityHint: 16);
            foreach (var (group, key, entry) in sorted)
            {
                writer.Add(group, key, entry);
            }

            var range = (Math.Min(a, b), Math.Max(a, b));
            var read = new List<(int, byte[], byte[])>();
            var count = KeyGroupedStateSnapshot.RestoreRaw(writer.ToArray(), MaxParallelism, range, (group, key, entry) => read.Add((group, key.ToArray(), entry.ToArray())));

            var expected = sorted.Where(e => e.Item1 >= range.Item1 && e.Item1 <= range.Item2).ToArray();
            Assert.Equal(expected.Length, count);
            Assert.Equal(expected.Length, read.Count);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i].Item1, read[i].Item1);
                Assert.Equal(expected[i].Item2, read[i].Item2);
                Assert.Equal(expected[i].Item3, read[i].Item3);
            }
        });
    }

    [Fact]
    public void WriterAdd_KeyGroupOutOfOrderOrRange_Rejected()
    {
        var writer = new KeyGroupedStateWriter(MaxParallelism);
        writer.Add(5, [1], [2]);
        Assert.Throws<ArgumentException>(() => writer.Add(4, [1], [2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Add(MaxParallelism, [1], [2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Add(-1, [1], [2]));
    }

    [Fact]
    public void RestoreRaw_GroupsNotAscending_InvalidData()
    {
        var first = new KeyGroupedStateWriter(MaxParallelism);
        first.Add(7, [1], [2]);
        var second = new KeyGroupedStateWriter(MaxParallelism);
        second.Add(3, [4], [5]);
        var one = first.ToArray();
        var other = second.ToArray();

        // Two groups, 7 then 3: each well-formed on its own, out of order together.
        var spliced = new byte[one.Length + other.Length - KeyGroupedStateSnapshot.HeaderBytes];
        one.CopyTo(spliced, 0);
        other.AsSpan(KeyGroupedStateSnapshot.HeaderBytes).CopyTo(spliced.AsSpan(one.Length));
        spliced[8] = 2;
        var error = Assert.Throws<InvalidDataException>(() => KeyGroupedStateSnapshot.RestoreRaw(spliced, MaxParallelism, (0, MaxParallelism - 1), null));
        Assert.Contains("malformed header", error.Message, StringComparison.Ordinal);
    }

    private static (HeapValueStore<string, long> Store, KeyContext<string> Key) NewStore()
    {
        var key = new KeyContext<string>();
        return (new HeapValueStore<string, long>("sum", key, null), key);
    }
}
