using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Keys;
using Freshet.Streaming.Operators;
using Freshet.Streaming.State;
using Freshet.Streaming.State.RocksDb;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using static Freshet.Streaming.Tests.TestSupport.TtlDescriptors;

namespace Freshet.Streaming.Tests.State;

/// <summary>
/// RocksDB state time-to-live driven directly with a manual processing-time clock: incremental cleanup that really
/// deletes from the database, stamps that survive a checkpoint and a restore at another parallelism, and a restore with
/// the TTL setting changed refused. The expiry semantics both backends share are in
/// <see cref="KeyedStateBackendContract"/>; heap-only cleanup and snapshot tests are in <see cref="HeapKeyedStateTests"/>.
/// </summary>
public sealed class StateTtlTests : IDisposable
{
    private const int MaxParallelism = 128;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-rocks-ttl-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new(10_000);
    private readonly KeyContext<string> _key = new();
    private readonly KeyedRuntimeContext<string> _context;

    public StateTtlTests()
    {
        _context = NewContext(_key, 0, 1);
    }

    public void Dispose()
    {
        _context.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void IncrementalCleanup_DeletesExpiredEntriesOfKeysNeverAccessedAgain()
    {
        var value = _context.GetState(Ttl(new ValueStateDescriptor<int>("v"), 100, StateTtlUpdateType.OnCreateAndWrite, cleanupPerAccess: 2));
        var list = _context.GetListState(Ttl(new ListStateDescriptor<int>("l"), 100, StateTtlUpdateType.OnCreateAndWrite, cleanupPerAccess: 2));
        var map = _context.GetMapState(Ttl(new MapStateDescriptor<int, int>("m"), 100, StateTtlUpdateType.OnCreateAndWrite, cleanupPerAccess: 2));
        for (var k = 0; k < 50; k++)
        {
            SetKey("old" + k);
            value.Update(k);
            list.AddAll([k, k + 1]);
            map.Put(1, k);
            map.Put(2, k);
        }

        // Half of the keys get a fresh list element: their lists must be rewritten, not deleted.
        _clock.NowMs += 60;
        for (var k = 0; k < 50; k += 2)
        {
            SetKey("old" + k);
            list.Add(-k);
        }

        Assert.Equal((50, 50, 100), (StoredEntries("v"), StoredEntries("l"), StoredEntries("m")));
        _clock.NowMs += 40;
        SetKey("fresh");
        // Each access visits 2 further entries: 60 accesses cover every entry of each column family.
        for (var i = 0; i < 60; i++)
        {
            value.Update(i);
            list.Update([i]);
            map.Put(0, i);
        }

        Assert.Equal((1, 26, 1), (StoredEntries("v"), StoredEntries("l"), StoredEntries("m")));
        for (var k = 0; k < 50; k++)
        {
            SetKey("old" + k);
            Assert.Equal(k % 2 == 0 ? [-k] : [], list.Get());
        }
    }

    [Fact]
    public void ZeroCleanupPerAccess_OnlyTheAccessedKeyIsCleaned()
    {
        var value = _context.GetState(Ttl(new ValueStateDescriptor<int>("v"), 100, StateTtlUpdateType.OnCreateAndWrite, cleanupPerAccess: 0));
        SetKey("old");
        value.Update(1);
        _clock.NowMs += 200;
        SetKey("fresh");
        value.Update(2);
        Assert.Equal(2, StoredEntries("v"));
        SetKey("old");
        Assert.False(value.HasValue);
        Assert.Equal(1, StoredEntries("v"));
    }

    [Fact]
    public void Checkpoint_KeepsStamps_RestoreAtAnotherParallelismExpiresWhenTheOriginalWould()
    {
        var map = _context.GetMapState(Ttl(new MapStateDescriptor<string, int>("m"), 1_000, StateTtlUpdateType.OnCreateAndWrite, cleanupPerAccess: 0));
        for (var k = 0; k < 20; k++)
        {
            SetKey("k" + k);
            map.Put("early", k);
        }

        _clock.NowMs += 600;
        for (var k = 0; k < 20; k++)
        {
            SetKey("k" + k);
            map.Put("late", k);
        }

        Restore(_context.CaptureStates()(), subtask: 1, parallelism: 2, out var restoredKey, out var restoredContext);
        using (restoredContext)
        {
            var state = restoredContext.GetMapState(Ttl(new MapStateDescriptor<string, int>("m"), 1_000, StateTtlUpdateType.OnCreateAndWrite, cleanupPerAccess: 0));
            var owned = Enumerable.Range(0, 20).Where(k => KeyGroupOf("k" + k) >= 64).ToArray();
            Assert.NotEmpty(owned);
            _clock.NowMs += 399;
            foreach (var k in Enumerable.Range(0, 20))
            {
                restoredKey.Current = "k" + k;
                restoredKey.IsSet = true;
                var expected = owned.Contains(k) ? new[] { ("early", k), ("late", k) } : [];
                Assert.Equal(expected, state.Entries().Select(e => (e.Key, e.Value)).Order());
            }

            _clock.NowMs += 1;
            foreach (var k in owned)
            {
                restoredKey.Current = "k" + k;
                Assert.Equal([("late", k)], state.Entries().Select(e => (e.Key, e.Value)));
            }
        }
    }

    [Fact]
    public void Restore_WithTtlTurnedOnOrOff_IsRefusedClearly()
    {
        var value = _context.GetState(new ValueStateDescriptor<int>("plain"));
        var stamped = _context.GetState(Ttl(new ValueStateDescriptor<int>("stamped"), 1_000, StateTtlUpdateType.OnCreateAndWrite));
        SetKey("a");
        value.Update(1);
        stamped.Update(2);
        var sections = _context.CaptureStates()();

        Restore(sections, 0, 1, out _, out var restoredContext);
        using (restoredContext)
        {
            var nowWithTtl = Assert.Throws<InvalidOperationException>(() => restoredContext.GetState(Ttl(new ValueStateDescriptor<int>("plain"), 1_000, StateTtlUpdateType.OnCreateAndWrite)));
            Assert.Contains("checkpointed without a time-to-live", nowWithTtl.Message, StringComparison.Ordinal);
            var nowWithout = Assert.Throws<InvalidOperationException>(() => restoredContext.GetState(new ValueStateDescriptor<int>("stamped")));
            Assert.Contains("checkpointed with a time-to-live", nowWithout.Message, StringComparison.Ordinal);
        }
    }

    private void Restore(IReadOnlyList<(string Section, byte[] Bytes)> sections, int subtask, int parallelism, out KeyContext<string> key, out KeyedRuntimeContext<string> context)
    {
        var restored = new RestoredOperatorState(1, [sections.ToDictionary(s => s.Section, s => s.Bytes)]);
        key = new KeyContext<string>();
        context = NewContext(key, subtask, parallelism);
        context.SetRestored(restored, KeyGroups.RangeOf(subtask, MaxParallelism, parallelism));
    }

    private KeyedRuntimeContext<string> NewContext(KeyContext<string> key, int subtask, int parallelism) =>
        new(key, subtask, parallelism, new ProcessingTimeService(_clock), StateBackend.RocksDb(_directory), MaxParallelism, "ttl");

    /// <summary>Entries RocksDB holds for state <paramref name="name"/> (counted from a checkpoint of the context, expired ones included).</summary>
    private long StoredEntries(string name)
    {
        var bytes = _context.CaptureStates()().Single(s => s.Section == RocksDbKeyedStateBackend<string>.SectionOf(name, hasTtl: true)).Bytes;
        return KeyGroupedStateSnapshot.RestoreRaw(bytes, MaxParallelism, (0, MaxParallelism - 1), null);
    }

    private static int KeyGroupOf(string key) => KeyGroups.Of(KeyHash<string>.Of(key), MaxParallelism);

    private void SetKey(string key)
    {
        _key.Current = key;
        _key.IsSet = true;
    }
}
