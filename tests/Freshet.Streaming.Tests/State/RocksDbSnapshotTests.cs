using Freshet.Streaming.Keys;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.State.RocksDb;

namespace Freshet.Streaming.Tests.State;

/// <summary>
/// Checkpoint snapshots of the RocksDB backend against real databases on disk: capture, writes after the capture,
/// serialization (also while the task thread writes), restore into fresh stores, rescaling by key-group range, bad input.
/// </summary>
public sealed class RocksDbSnapshotTests : IDisposable
{
    private const int MaxParallelism = 128;
    private static readonly (int First, int Last) AllKeyGroups = (0, MaxParallelism - 1);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-rocks-snapshot-" + Guid.NewGuid().ToString("N"));
    private int _stores;

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Serialize_WritesAndDeletesAfterCapture_RestoredStateIsAsOfCapture()
    {
        using var original = NewSubtask();
        var expected = new ExpectedState();
        for (var i = 0; i < 500; i++)
        {
            var key = "key-" + i;
            original.Use(key);
            original.Sum.Update(i * 10L);
            original.Events.Update(["a" + i, "b" + i]);
            original.Attributes.Put(1, "one-" + i);
            original.Attributes.Put(i % 7, "mod-" + i);
            expected.Record(original, key);
        }

        using var captured = RocksDbStateSnapshot.Capture(original.Store);

        // The task goes on after the synchronous phase: overwrites, deletes, new keys and a new state.
        for (var i = 0; i < 500; i++)
        {
            original.Use("key-" + i);
            original.Sum.Update(-1);
            original.Events.Add("late");
            original.Attributes.Remove(1);
            original.Attributes.Put(100, "late");
            if (i % 3 == 0)
            {
                original.Sum.Clear();
                original.Events.Clear();
                original.Attributes.Clear();
            }
        }

        original.Use("key-created-after-capture");
        original.Sum.Update(99);
        original.Events.Add("late");
        original.Attributes.Put(5, "late");
        var lateState = new RocksDbValueState<string, long>(original.Store, "created-after-capture", original.Key, original.Keys, Serializers.Int64, 0);
        lateState.Update(1);

        var snapshot = captured.Serialize(MaxParallelism);
        Assert.Equal(["attributes", "events", "sum"], snapshot.Select(s => s.StateName));
        Assert.Equal(["attributes", "events", "sum"], captured.StateNames);
        Assert.All(snapshot, s => Assert.True(s.Bytes.Length > 9));

        using var restored = NewSubtask();
        var counts = snapshot.ToDictionary(s => s.StateName, s => RocksDbStateSnapshot.Restore(restored.Store, s.StateName, s.Bytes, MaxParallelism, AllKeyGroups));
        Assert.Equal(500, counts["sum"]);
        Assert.Equal(500, counts["events"]);
        Assert.Equal(expected.MapEntryCount, counts["attributes"]);
        expected.AssertHeldBy(restored);
        restored.Use("key-created-after-capture");
        Assert.False(restored.Sum.HasValue);
        Assert.Empty(restored.Events.Get());
        Assert.True(restored.Attributes.IsEmpty);
        Assert.DoesNotContain("created-after-capture", restored.Store.StateNames);
    }

    [Fact]
    public async Task Serialize_OnThePoolWhileTheTaskThreadWrites_SeesOnlyTheCapturedState()
    {
        using var original = NewSubtask();
        var expected = new ExpectedState();
        for (var i = 0; i < 20_000; i++)
        {
            var key = "key-" + i;
            original.Use(key);
            original.Sum.Update(i);
            original.Events.Add("e" + i);
            original.Attributes.Put(i % 3, "v" + i);
            expected.Record(original, key);
        }

        using var captured = RocksDbStateSnapshot.Capture(original.Store);
        var serializing = Task.Run(() => captured.Serialize(MaxParallelism));
        var round = 0;
        do
        {
            // The task thread rewrites and deletes every key for as long as the asynchronous phase runs.
            for (var i = 0; i < 20_000; i += 7)
            {
                original.Use("key-" + i);
                original.Sum.Update(-round);
                original.Events.Clear();
                original.Attributes.Put(round % 5, "round-" + round);
            }

            round++;
        }
        while (!serializing.IsCompleted);

        var snapshot = await serializing;
        using var restored = NewSubtask();
        foreach (var (stateName, bytes) in snapshot)
        {
            RocksDbStateSnapshot.Restore(restored.Store, stateName, bytes, MaxParallelism, AllKeyGroups);
        }

        expected.AssertHeldBy(restored);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Restore_SnapshotsOfTwoSubtasksAtAnotherParallelism_EveryKeyOnceInItsOwner(int newParallelism)
    {
        const int OldParallelism = 2;
        var expected = new ExpectedState();
        var snapshots = new List<IReadOnlyList<(string StateName, byte[] Bytes)>>();
        for (var subtask = 0; subtask < OldParallelism; subtask++)
        {
            using var old = NewSubtask();
            var range = KeyGroups.RangeOf(subtask, MaxParallelism, OldParallelism);
            for (var i = 0; i < 3000; i++)
            {
                var key = "key-" + i;
                if (InRange(KeyGroupOf(key), range))
                {
                    old.Use(key);
                    old.Sum.Update(i * 3L);
                    old.Events.Update(["x" + i]);
                    old.Attributes.Put(i % 4, "v" + i);
                    old.Attributes.Put(-1, "w" + i);
                    expected.Record(old, key);
                }
            }

            using var captured = RocksDbStateSnapshot.Capture(old.Store);
            snapshots.Add(captured.Serialize(MaxParallelism));
        }

        Assert.Equal(3000, expected.Keys.Count);
        var owners = new Dictionary<string, int>();
        long restoredEntries = 0;
        for (var subtask = 0; subtask < newParallelism; subtask++)
        {
            using var restored = NewSubtask();
            var range = KeyGroups.RangeOf(subtask, MaxParallelism, newParallelism);
            foreach (var snapshot in snapshots)
            {
                foreach (var (stateName, bytes) in snapshot)
                {
                    restoredEntries += RocksDbStateSnapshot.Restore(restored.Store, stateName, bytes, MaxParallelism, range);
                }
            }

            // Every key held by this subtask belongs to its range and to no other subtask.
            foreach (var key in KeysOf(restored.Store, "sum", restored.Keys))
            {
                Assert.True(InRange(KeyGroupOf(key), range), $"key {key} (group {KeyGroupOf(key)}) is outside {range}");
                Assert.True(owners.TryAdd(key, subtask), $"key {key} restored into subtasks {owners.GetValueOrDefault(key)} and {subtask}");
            }

            expected.AssertHeldBy(restored, key => InRange(KeyGroupOf(key), range));
        }

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), owners.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((2 * 3000) + expected.MapEntryCount, restoredEntries);
    }

    [Fact]
    public void Restore_TruncatedExtendedOrCorrupt_InvalidDataAndNothingWritten()
    {
        byte[] bytes;
        using (var original = NewSubtask())
        {
            for (var i = 0; i < 20; i++)
            {
                original.Use("k" + i);
                original.Sum.Update(i);
            }

            using var captured = RocksDbStateSnapshot.Capture(original.Store);
            bytes = Assert.Single(captured.Serialize(MaxParallelism), s => s.StateName == "sum").Bytes;
        }

        using var target = NewSubtask();
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => RocksDbStateSnapshot.Restore(target.Store, "sum", bytes.AsSpan(0, length), MaxParallelism, AllKeyGroups));
        }

        Assert.Throws<InvalidDataException>(() => RocksDbStateSnapshot.Restore(target.Store, "sum", [.. bytes, 0], MaxParallelism, AllKeyGroups));

        // The last entry's value length claims one byte more than there is: found only at the end of the input.
        var corrupt = (byte[])bytes.Clone();
        corrupt[^9]++;
        var error = Assert.Throws<InvalidDataException>(() => RocksDbStateSnapshot.Restore(target.Store, "sum", corrupt, MaxParallelism, AllKeyGroups));
        Assert.Contains("keyed state snapshot", error.Message, StringComparison.OrdinalIgnoreCase);

        Assert.Empty(KeysOf(target.Store, "sum", target.Keys));
        Assert.Equal(20, RocksDbStateSnapshot.Restore(target.Store, "sum", bytes, MaxParallelism, AllKeyGroups));
        target.Use("k19");
        Assert.Equal(19, target.Sum.Value);
    }

    [Fact]
    public void Restore_OtherMaxParallelism_ClearError()
    {
        using var original = NewSubtask();
        original.Use("a");
        original.Sum.Update(1);
        using var captured = RocksDbStateSnapshot.Capture(original.Store);
        var bytes = Assert.Single(captured.Serialize(MaxParallelism), s => s.StateName == "sum").Bytes;

        using var target = NewSubtask();
        var error = Assert.Throws<InvalidDataException>(() => RocksDbStateSnapshot.Restore(target.Store, "sum", bytes, 256, (0, 255)));
        Assert.Contains("written with 128 key groups", error.Message, StringComparison.Ordinal);
        Assert.Contains("the job has 256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_MaxParallelismBelowTheStoredKeyGroups_ClearError()
    {
        using var original = NewSubtask();
        var key = Enumerable.Range(0, 1000).Select(i => "k" + i).First(k => KeyGroupOf(k) >= 16);
        original.Use(key);
        original.Sum.Update(1);
        using var captured = RocksDbStateSnapshot.Capture(original.Store);
        var error = Assert.Throws<InvalidOperationException>(() => captured.Serialize(16));
        Assert.Contains("another max parallelism", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Capture_StoreDisposedBeforeTheAsynchronousPhaseEnds_DatabaseClosedWhenTheCaptureIsReleased()
    {
        var original = NewSubtask();
        original.Use("a");
        original.Sum.Update(42);
        var captured = RocksDbStateSnapshot.Capture(original.Store);

        // The task failed and released its store while the checkpoint was still being serialized.
        original.Dispose();
        Assert.True(Directory.Exists(original.Store.WorkingDirectory));
        Assert.Throws<ObjectDisposedException>(() => RocksDbStateSnapshot.Capture(original.Store));
        var snapshot = captured.Serialize(MaxParallelism);
        captured.Dispose();
        Assert.False(Directory.Exists(original.Store.WorkingDirectory));
        Assert.Throws<ObjectDisposedException>(() => captured.Serialize(MaxParallelism));

        using var restored = NewSubtask();
        foreach (var (stateName, bytes) in snapshot)
        {
            RocksDbStateSnapshot.Restore(restored.Store, stateName, bytes, MaxParallelism, AllKeyGroups);
        }

        restored.Use("a");
        Assert.Equal(42, restored.Sum.Value);
    }

    [Fact]
    public void Serialize_StoreWithoutStates_NoSnapshots()
    {
        using var store = new RocksDbStateStore(Path.Combine(_directory, "empty"));
        using var captured = RocksDbStateSnapshot.Capture(store);
        Assert.Empty(captured.Serialize(MaxParallelism));
    }

    private static int KeyGroupOf(string key) => KeyGroups.Of(KeyHash<string>.Of(key), MaxParallelism);

    private static bool InRange(int keyGroup, (int First, int Last) range) => keyGroup >= range.First && keyGroup <= range.Last;

    private static List<string> KeysOf(RocksDbStateStore store, string stateName, RocksDbKeySerializer<string> keys)
    {
        var found = new List<string>();
        using var snapshot = store.CreateSnapshot();
        store.ReadEntries(stateName, snapshot, (storedKey, _) => found.Add(keys.Deserialize(storedKey)));
        return found;
    }

    private Subtask NewSubtask() => new(Path.Combine(_directory, "store-" + _stores++));

    /// <summary>One keyed subtask's RocksDB store with a value, a list and a map state, used through the state classes.</summary>
    private sealed class Subtask : IDisposable
    {
        public Subtask(string directory)
        {
            Store = new RocksDbStateStore(directory);
            Keys = new RocksDbKeySerializer<string>(Serializers.Utf8String, MaxParallelism);
            Sum = new RocksDbValueState<string, long>(Store, "sum", Key, Keys, Serializers.Int64, -7);
            Events = new RocksDbListState<string, string>(Store, "events", Key, Keys, Serializers.Utf8String);
            Attributes = new RocksDbMapState<string, int, string>(Store, "attributes", Key, Keys, Serializers.Int32, Serializers.Utf8String);
        }

        public RocksDbStateStore Store { get; }

        public KeyContext<string> Key { get; } = new() { IsSet = true };

        public RocksDbKeySerializer<string> Keys { get; }

        public RocksDbValueState<string, long> Sum { get; }

        public RocksDbListState<string, string> Events { get; }

        public RocksDbMapState<string, int, string> Attributes { get; }

        public void Use(string key) => Key.Current = key;

        public void Dispose() => Store.Dispose();
    }

    /// <summary>What each key held at capture time, read back through the state classes.</summary>
    private sealed class ExpectedState
    {
        private readonly Dictionary<string, (long Sum, string[] Events, KeyValuePair<int, string>[] Attributes)> _byKey = new(StringComparer.Ordinal);

        public IReadOnlyCollection<string> Keys => _byKey.Keys;

        public int MapEntryCount => _byKey.Values.Sum(v => v.Attributes.Length);

        public void Record(Subtask subtask, string key)
        {
            subtask.Use(key);
            _byKey[key] = (subtask.Sum.Value, [.. subtask.Events.Get()], [.. subtask.Attributes.Entries().OrderBy(e => e.Key)]);
        }

        public void AssertHeldBy(Subtask subtask, Func<string, bool>? owns = null)
        {
            foreach (var (key, (sum, events, attributes)) in _byKey)
            {
                if (owns is not null && !owns(key))
                {
                    continue;
                }

                subtask.Use(key);
                Assert.True(subtask.Sum.HasValue, $"no value for {key}");
                Assert.Equal(sum, subtask.Sum.Value);
                Assert.Equal(events, subtask.Events.Get());
                Assert.Equal(attributes, subtask.Attributes.Entries().OrderBy(e => e.Key));
            }
        }
    }
}
