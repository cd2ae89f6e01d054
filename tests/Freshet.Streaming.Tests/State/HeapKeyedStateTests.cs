using Freshet.Streaming.Operators;
using Freshet.Streaming.State;
using Freshet.Streaming.State.Heap;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using static Freshet.Streaming.Tests.TestSupport.TtlDescriptors;

namespace Freshet.Streaming.Tests.State;

/// <summary>
/// The heap keyed states driven directly (key context and a manual processing-time clock), as an operator drives them.
/// TTL expiry common to both backends is tested in <see cref="StateTtlTests"/>.
/// </summary>
public sealed class HeapKeyedStateTests
{
    private readonly KeyContext<string> _key = new();
    private readonly ManualClock _clock = new(10_000);
    private readonly KeyedRuntimeContext<string> _context;

    public HeapKeyedStateTests()
    {
        _context = new KeyedRuntimeContext<string>(_key, 0, 1, new ProcessingTimeService(_clock));
    }

    [Fact]
    public void ListState_AddAddAllUpdateClear_PerKeyInOrder()
    {
        var list = _context.GetListState(new ListStateDescriptor<int>("list"));
        SetKey("a");
        Assert.Empty(list.Get());
        list.Add(1);
        list.AddAll([2, 3]);
        SetKey("b");
        list.Add(9);
        SetKey("a");
        Assert.Equal([1, 2, 3], list.Get());
        list.Update([7]);
        Assert.Equal([7], list.Get());
        list.Update([]);
        Assert.Empty(list.Get());
        SetKey("b");
        Assert.Equal([9], list.Get());
        list.Clear();
        Assert.Empty(list.Get());
        Assert.Equal(0, ((IHeapKeyedState)StatesOf(_context)["list"]).KeyCount);
    }

    [Fact]
    public void ListState_GetReturnsCopy_LaterAddsNotVisible()
    {
        var list = _context.GetListState(new ListStateDescriptor<int>("list"));
        SetKey("a");
        list.Add(1);
        var before = list.Get();
        list.Add(2);
        Assert.Equal([1], before);
    }

    [Fact]
    public void MapState_PutGetRemoveEntries_PerKey()
    {
        var map = _context.GetMapState(new MapStateDescriptor<string, long>("map"));
        SetKey("a");
        Assert.True(map.IsEmpty);
        map.Put("x", 1);
        map.PutAll([new("y", 2), new("x", 3)]);
        SetKey("b");
        Assert.False(map.Contains("x"));
        map.Put("z", 5);
        SetKey("a");
        Assert.True(map.TryGetValue("x", out var x));
        Assert.Equal(3, x);
        Assert.Equal([new("x", 3L), new("y", 2L)], map.Entries().OrderBy(e => e.Key));
        Assert.True(map.Remove("x"));
        Assert.False(map.Remove("x"));
        Assert.True(map.Remove("y"));
        Assert.True(map.IsEmpty);
        Assert.Equal(1, ((IHeapKeyedState)StatesOf(_context)["map"]).KeyCount);
        SetKey("b");
        Assert.Equal([new("z", 5L)], map.Entries());
        map.Clear();
        Assert.True(map.IsEmpty);
    }

    [Fact]
    public void ReducingState_FoldsAddedValues_ClearStartsOver()
    {
        var max = _context.GetReducingState(new ReducingStateDescriptor<long>("max", Math.Max));
        SetKey("a");
        Assert.False(max.TryGet(out _));
        Assert.Equal(0, max.Get());
        max.Add(3);
        max.Add(9);
        max.Add(4);
        SetKey("b");
        max.Add(-5);
        SetKey("a");
        Assert.Equal(9, max.Get());
        max.Clear();
        Assert.False(max.TryGet(out _));
        max.Add(1);
        Assert.Equal(1, max.Get());
        SetKey("b");
        Assert.True(max.TryGet(out var b));
        Assert.Equal(-5, b);
    }

    [Fact]
    public void AggregatingState_AccumulatesAndReturnsResult()
    {
        var average = _context.GetAggregatingState(new AggregatingStateDescriptor<long, (long Sum, long Count), double>("avg", new Average()));
        SetKey("a");
        Assert.False(average.TryGet(out _));
        average.Add(2);
        average.Add(4);
        SetKey("b");
        average.Add(10);
        SetKey("a");
        Assert.Equal(3.0, average.Get());
        average.Add(9);
        Assert.Equal(5.0, average.Get());
        average.Clear();
        Assert.False(average.TryGet(out _));
        SetKey("b");
        Assert.Equal(10.0, average.Get());
    }

    [Fact]
    public void GetState_SameNameOtherKind_Throws()
    {
        _context.GetListState(new ListStateDescriptor<int>("s"));
        Assert.Same(_context.GetListState(new ListStateDescriptor<int>("s")), _context.GetListState(new ListStateDescriptor<int>("s")));
        var error = Assert.Throws<InvalidOperationException>(() => _context.GetMapState(new MapStateDescriptor<int, int>("s")));
        Assert.Contains("'s'", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => _context.GetListState(new ListStateDescriptor<long>("s")));
    }

    [Fact]
    public void State_UsedOutsideKeyedCall_Throws()
    {
        var list = _context.GetListState(new ListStateDescriptor<int>("list"));
        Assert.Throws<InvalidOperationException>(() => list.Add(1));
    }

    [Fact]
    public void Ttl_ListState_ElementsExpireIndividually()
    {
        var list = _context.GetListState(Ttl(new ListStateDescriptor<int>("l"), 100, StateTtlUpdateType.OnCreateAndWrite));
        SetKey("a");
        list.Add(1);
        _clock.NowMs += 50;
        list.Add(2);
        _clock.NowMs += 50;
        Assert.Equal([2], list.Get());
        _clock.NowMs += 50;
        Assert.Empty(list.Get());
        Assert.Equal(0, ((IHeapKeyedState)StatesOf(_context)["l"]).KeyCount);
    }

    [Fact]
    public void Ttl_MapState_UserKeysExpireIndividually_ReadAndWriteRefreshesReadEntry()
    {
        var map = _context.GetMapState(Ttl(new MapStateDescriptor<string, int>("m"), 100, StateTtlUpdateType.OnReadAndWrite));
        SetKey("a");
        map.Put("x", 1);
        map.Put("y", 2);
        _clock.NowMs += 80;
        Assert.True(map.TryGetValue("x", out _));
        _clock.NowMs += 30;
        Assert.True(map.Contains("x"));
        Assert.False(map.Contains("y"));
        Assert.Equal([new("x", 1)], map.Entries());
    }

    [Fact]
    public void Ttl_IncrementalCleanup_RemovesExpiredKeysNeverAccessedAgain()
    {
        var value = _context.GetState(Ttl(new ValueStateDescriptor<int>("v"), 100, StateTtlUpdateType.OnCreateAndWrite, cleanupPerAccess: 2));
        for (var k = 0; k < 50; k++)
        {
            SetKey("old" + k);
            value.Update(k);
        }

        _clock.NowMs += 100;
        SetKey("fresh");
        // Each access checks 2 other keys: 30 accesses cover the 50 expired keys (plus refreshes of the key set).
        for (var i = 0; i < 30; i++)
        {
            value.Update(i);
        }

        Assert.Equal(1, ((IHeapKeyedState)StatesOf(_context)["v"]).KeyCount);
    }

    [Fact]
    public void Ttl_ZeroCleanupPerAccess_OnlyLazyCleanup()
    {
        var value = _context.GetState(Ttl(new ValueStateDescriptor<int>("v"), 100, StateTtlUpdateType.OnCreateAndWrite, cleanupPerAccess: 0));
        SetKey("old");
        value.Update(1);
        _clock.NowMs += 200;
        SetKey("fresh");
        value.Update(2);
        Assert.Equal(2, ((IHeapKeyedState)StatesOf(_context)["v"]).KeyCount);
        SetKey("old");
        Assert.False(value.HasValue);
        Assert.Equal(1, ((IHeapKeyedState)StatesOf(_context)["v"]).KeyCount);
    }

    [Fact]
    public void Snapshot_EntriesSkipExpired_RestoreIntoNewStateByKeyGroup()
    {
        var list = _context.GetListState(Ttl(new ListStateDescriptor<int>("l"), 1_000, StateTtlUpdateType.OnCreateAndWrite));
        SetKey("gone");
        list.Add(0);
        _clock.NowMs += 600;
        for (var k = 0; k < 20; k++)
        {
            SetKey("k" + k);
            list.AddAll([k, k + 1]);
        }

        _clock.NowMs += 500;
        _key.IsSet = false;
        var heap = (HeapListState<string, int>)StatesOf(_context)["l"];
        var byKeyGroup = heap.SnapshotEntries()
            .GroupBy(e => HeapListState<string, int>.KeyGroupOf(e.Key, 128))
            .ToDictionary(g => g.Key, g => g.Select(e => (e.Key, Elements: e.Value.ToArray())).ToArray());
        Assert.Equal(20, byKeyGroup.Values.Sum(g => g.Length));
        Assert.DoesNotContain(byKeyGroup.Values.SelectMany(g => g), e => e.Key == "gone");

        // A restore at parallelism 2 keeps only the key groups of subtask 1: 64 … 127.
        var restoredKey = new KeyContext<string>();
        var restoredContext = new KeyedRuntimeContext<string>(restoredKey, 1, 2, new ProcessingTimeService(_clock));
        var restored = restoredContext.GetListState(Ttl(new ListStateDescriptor<int>("l"), 1_000, StateTtlUpdateType.OnCreateAndWrite));
        var restoredHeap = (HeapListState<string, int>)StatesOf(restoredContext)["l"];
        foreach (var (group, entries) in byKeyGroup.Where(g => g.Key >= 64))
        {
            foreach (var (key, elements) in entries)
            {
                restoredHeap.RestoreEntry(key, [.. elements]);
            }
        }

        for (var k = 0; k < 20; k++)
        {
            var key = "k" + k;
            restoredKey.Current = key;
            restoredKey.IsSet = true;
            var expected = HeapListState<string, int>.KeyGroupOf(key, 128) >= 64 ? new[] { k, k + 1 } : [];
            Assert.Equal(expected, restored.Get());
        }

        // Stamps survive the restore: the restored elements expire when the originals would have.
        _clock.NowMs += 500;
        Assert.Empty(restoredHeap.SnapshotEntries());
    }

    [Fact]
    public void TtlConfig_InvalidValues_Rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StateTtlConfig(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StateTtlConfig(TimeSpan.FromSeconds(1)) { CleanupEntriesPerAccess = -1 });
        Assert.Throws<ArgumentException>(() => new ListStateDescriptor<int>(" "));
    }

    private static IReadOnlyDictionary<string, IHeapKeyedState> StatesOf(KeyedRuntimeContext<string> context) => ((HeapKeyedStateBackend<string>)context.Backend).States;

    private void SetKey(string key)
    {
        _key.Current = key;
        _key.IsSet = true;
    }
}
