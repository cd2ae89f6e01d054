using CsCheck;
using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Keys;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using static Freshet.Streaming.Tests.TestSupport.TtlDescriptors;

namespace Freshet.Streaming.Tests.State;

/// <summary>
/// The behaviour every <see cref="IKeyedStateBackend{TKey}"/> must have, run against each implementation by a
/// subclass that names its <see cref="StateBackend"/>: the five kinds of state per key, one state per name, keys of a
/// state, time-to-live against a model, snapshots (the synchronous phase isolates later changes) and restores by key
/// group at another parallelism, composite keys placed in their record key's group, and refusals of state written by
/// another backend. A new backend gets the same suite by adding one subclass.
/// </summary>
public abstract class KeyedStateBackendContract : IDisposable
{
    protected const int MaxParallelism = 128;
    private const long ModelTtlMs = 100;
    private readonly List<IDisposable> _created = [];
    private readonly ManualClock _clock = new(10_000);
    private readonly KeyContext<string> _key = new();
    private IKeyedStateBackend<string>? _main;

    /// <summary>(operation, key, user key or count, value, clock advance in ms).</summary>
    private static Gen<(int Op, int Key, int UserKey, int Value, int Advance)[]> ModelOperations =>
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 1000], Gen.Int[0, 60]).Array[0, 150];

    /// <summary>The backend under test.</summary>
    protected abstract StateBackend Backend { get; }

    /// <summary>One subtask's keyed state, keyed by the test's key context (created on first use).</summary>
    private IKeyedStateBackend<string> Main => _main ??= Create(_key);

    /// <summary>How many random operation sequences the model tests try (fewer where each costs a database).</summary>
    protected abstract int ModelIterations { get; }

    public void Dispose()
    {
        foreach (var created in _created)
        {
            created.Dispose();
        }

        DisposeBackendResources();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void ValueState_UpdateReadClear_PerKeyWithDefault()
    {
        var value = Main.GetValueState(new ValueStateDescriptor<long>("v", -1));
        SetKey("a");
        Assert.False(value.HasValue);
        Assert.Equal(-1, value.Value);
        value.Update(3);
        SetKey("b");
        value.Update(4);
        SetKey("a");
        Assert.True(value.HasValue);
        Assert.Equal(3, value.Value);
        value.Clear();
        Assert.False(value.HasValue);
        Assert.Equal(-1, value.Value);
        SetKey("b");
        Assert.Equal(4, value.Value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ValueState_Apply_InitialForANewKeyThenNextOfTheCurrentValue(bool withTtl)
    {
        var descriptor = new ValueStateDescriptor<List<int>>("v");
        var value = Main.GetValueState(withTtl ? Ttl(descriptor, 100, StateTtlUpdateType.OnCreateAndWrite) : descriptor);
        var append = new Append();
        SetKey("a");
        append.Next = 1;
        Assert.Equal([1], value.Apply(append));
        append.Next = 2;
        Assert.Equal([1, 2], value.Apply(append));
        SetKey("b");
        append.Next = 3;
        Assert.Equal([3], value.Apply(append));
        SetKey("a");
        Assert.Equal([1, 2], value.Value);
        if (withTtl)
        {
            // An expired value counts as none: the next apply starts over.
            _clock.NowMs += 100;
            append.Next = 4;
            Assert.Equal([4], value.Apply(append));
        }
    }

    [Fact]
    public void ListState_AddAddAllUpdateClear_PerKeyInOrder()
    {
        var list = Main.GetListState(new ListStateDescriptor<string>("l"));
        SetKey("a");
        Assert.Empty(list.Get());
        Assert.True(list.IsEmpty);
        list.Add("1");
        list.AddAll(["2", "3"]);
        list.AddAll([]);
        SetKey("b");
        list.Add("9");
        SetKey("a");
        Assert.False(list.IsEmpty);
        Assert.Equal(["1", "2", "3"], list.Get());
        list.Update(["7"]);
        list.Add("8");
        Assert.Equal(["7", "8"], list.Get());
        list.Update([]);
        Assert.Empty(list.Get());
        Assert.True(list.IsEmpty);
        SetKey("b");
        Assert.Equal(["9"], list.Get());
        list.Clear();
        Assert.Empty(list.Get());
    }

    [Fact]
    public void MapState_PutGetRemoveEntries_PerKey()
    {
        var map = Main.GetMapState(new MapStateDescriptor<string, long>("m"));
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
        Assert.Equal([new("x", 3L), new("y", 2L)], map.Entries().OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.True(map.Remove("x"));
        Assert.False(map.Remove("x"));
        Assert.True(map.Remove("y"));
        Assert.True(map.IsEmpty);
        SetKey("b");
        Assert.Equal([new("z", 5L)], map.Entries());
        map.Clear();
        Assert.True(map.IsEmpty);
    }

    [Fact]
    public void ReducingState_FoldsAddedValues_ClearStartsOver()
    {
        var max = Main.GetReducingState(new ReducingStateDescriptor<long>("max", Math.Max));
        SetKey("a");
        Assert.False(max.TryGet(out _));
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
        Assert.Equal(-5, max.Get());
    }

    [Fact]
    public void AggregatingState_AccumulatesAndReturnsResult()
    {
        var average = Main.GetAggregatingState(new AggregatingStateDescriptor<long, (long Sum, long Count), double>("avg", new Average()));
        SetKey("a");
        Assert.False(average.TryGet(out _));
        average.Add(2);
        average.Add(4);
        SetKey("b");
        average.Add(10);
        SetKey("a");
        Assert.Equal(3.0, average.Get());
        average.Clear();
        Assert.False(average.TryGet(out _));
        SetKey("b");
        Assert.Equal(10.0, average.Get());
    }

    [Fact]
    public void GetState_SameName_SameStateOtherKindOrTypeThrows()
    {
        var list = Main.GetListState(new ListStateDescriptor<int>("s"));
        Assert.Same(list, Main.GetListState(new ListStateDescriptor<int>("s")));
        var otherKind = Assert.Throws<InvalidOperationException>(() => Main.GetMapState(new MapStateDescriptor<int, int>("s")));
        Assert.Contains("'s'", otherKind.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => Main.GetListState(new ListStateDescriptor<long>("s")));
    }

    [Fact]
    public void State_UsedOutsideKeyedCall_Throws()
    {
        var value = Main.GetValueState(new ValueStateDescriptor<int>("v"));
        var error = Assert.Throws<InvalidOperationException>(() => value.Update(1));
        Assert.Contains("while a record or timer of a key is processed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetKeys_EveryKeyWithAnEntryOnce_WritesDuringEnumerationNotSeen()
    {
        var value = Main.GetValueState(new ValueStateDescriptor<int>("v"));
        var list = Main.GetListState(new ListStateDescriptor<int>("l"));
        var map = Main.GetMapState(new MapStateDescriptor<int, int>("m"));
        for (var k = 0; k < 50; k++)
        {
            SetKey("k" + k);
            value.Update(k);
            list.AddAll([k, k]);
            for (var userKey = 0; userKey < k % 4; userKey++)
            {
                map.Put(userKey, k);
            }
        }

        SetKey("k7");
        value.Clear();
        list.Clear();
        var all = Enumerable.Range(0, 50).Select(k => "k" + k).ToArray();
        Assert.Equal(all.Where(k => k != "k7").Order(), Main.GetKeys("v").Order());
        Assert.Equal(all.Where(k => k != "k7").Order(), Main.GetKeys("l").Order());
        Assert.Equal(all.Where(k => int.Parse(k[1..]) % 4 != 0).Order(), Main.GetKeys("m").Order());
        Assert.Empty(Main.GetKeys("never-created"));

        var visited = new List<string>();
        foreach (var key in Main.GetKeys("v"))
        {
            visited.Add(key);
            SetKey(key);
            value.Clear();
            SetKey("new-" + key);
            value.Update(1);
        }

        Assert.Equal(all.Where(k => k != "k7").Order(), visited.Order());
    }

    [Theory]
    [InlineData(null, 5)]
    [InlineData(StateTtlUpdateType.OnCreateAndWrite, 0)]
    [InlineData(StateTtlUpdateType.OnCreateAndWrite, 3)]
    [InlineData(StateTtlUpdateType.OnReadAndWrite, 2)]
    public void MapState_RandomOperations_MatchModel(StateTtlUpdateType? updateType, int cleanupPerAccess)
    {
        ModelOperations.Sample(
            operations =>
            {
                var clock = new ManualClock(1_000);
                var key = new KeyContext<string>();
                using var backend = Backend.CreateKeyedBackend(Parameters(key, clock, 0));
                var descriptor = new MapStateDescriptor<int, int>("m");
                if (updateType is { } type)
                {
                    descriptor.EnableTimeToLive(new StateTtlConfig(TimeSpan.FromMilliseconds(ModelTtlMs)) { UpdateType = type, CleanupEntriesPerAccess = cleanupPerAccess });
                }

                var state = backend.GetMapState(descriptor);
                var model = new Dictionary<int, Dictionary<int, (int Value, long Stamp)>>();
                var updateOnRead = updateType == StateTtlUpdateType.OnReadAndWrite;
                foreach (var (op, k, userKey, value, advance) in operations)
                {
                    clock.NowMs += advance;
                    var now = clock.NowMs;
                    key.Current = "k" + k;
                    key.IsSet = true;
                    var entries = model.TryGetValue(k, out var existing) ? existing : model[k] = [];
                    if (updateType is not null)
                    {
                        foreach (var expired in entries.Where(e => now - e.Value.Stamp >= ModelTtlMs).Select(e => e.Key).ToArray())
                        {
                            entries.Remove(expired);
                        }
                    }

                    switch (op)
                    {
                        case 0:
                            state.Put(userKey, value);
                            entries[userKey] = (value, now);
                            break;
                        case 1:
                        case 5:
                            var found = op == 1 ? state.TryGetValue(userKey, out var actual) : (state.Contains(userKey), actual = 0).Item1;
                            Assert.Equal(entries.ContainsKey(userKey), found);
                            if (found)
                            {
                                if (op == 1)
                                {
                                    Assert.Equal(entries[userKey].Value, actual);
                                }

                                if (updateOnRead)
                                {
                                    entries[userKey] = (entries[userKey].Value, now);
                                }
                            }

                            break;
                        case 2:
                            Assert.Equal(entries.Remove(userKey), state.Remove(userKey));
                            break;
                        case 3:
                            Assert.Equal(entries.Select(e => (e.Key, e.Value.Value)).Order(), state.Entries().Select(e => (e.Key, e.Value)).Order());
                            if (updateOnRead)
                            {
                                foreach (var userKeyRead in entries.Keys.ToArray())
                                {
                                    entries[userKeyRead] = (entries[userKeyRead].Value, now);
                                }
                            }

                            break;
                        default:
                            state.Clear();
                            entries.Clear();
                            break;
                    }

                    Assert.Equal(entries.Count == 0, state.IsEmpty);
                }
            },
            iter: ModelIterations,
            threads: 1);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(StateTtlUpdateType.OnCreateAndWrite)]
    [InlineData(StateTtlUpdateType.OnReadAndWrite)]
    public void ListState_RandomOperations_MatchModel(StateTtlUpdateType? updateType)
    {
        ModelOperations.Sample(
            operations =>
            {
                var clock = new ManualClock(1_000);
                var key = new KeyContext<string>();
                using var backend = Backend.CreateKeyedBackend(Parameters(key, clock, 0));
                var descriptor = new ListStateDescriptor<int>("l");
                if (updateType is { } type)
                {
                    descriptor.EnableTimeToLive(new StateTtlConfig(TimeSpan.FromMilliseconds(ModelTtlMs)) { UpdateType = type, CleanupEntriesPerAccess = 1 });
                }

                var state = backend.GetListState(descriptor);
                var model = new Dictionary<int, List<(int Value, long Stamp)>>();
                foreach (var (op, k, count, value, advance) in operations)
                {
                    clock.NowMs += advance;
                    var now = clock.NowMs;
                    key.Current = "k" + k;
                    key.IsSet = true;
                    var list = model.TryGetValue(k, out var existing) ? existing : model[k] = [];
                    if (updateType is not null)
                    {
                        list.RemoveAll(e => now - e.Stamp >= ModelTtlMs);
                    }

                    var added = Enumerable.Range(value, count).ToArray();
                    switch (op)
                    {
                        case 0:
                            state.Add(value);
                            list.Add((value, now));
                            break;
                        case 1:
                            state.AddAll(added);
                            list.AddRange(added.Select(v => (v, now)));
                            break;
                        case 2:
                            state.Update(added);
                            list.Clear();
                            list.AddRange(added.Select(v => (v, now)));
                            break;
                        case 3:
                        case 5:
                            Assert.Equal(list.Select(e => e.Value), state.Get());
                            if (updateType == StateTtlUpdateType.OnReadAndWrite)
                            {
                                for (var i = 0; i < list.Count; i++)
                                {
                                    list[i] = (list[i].Value, now);
                                }
                            }

                            break;
                        default:
                            state.Clear();
                            list.Clear();
                            break;
                    }
                }
            },
            iter: ModelIterations,
            threads: 1);
    }

    [Fact]
    public void Ttl_ValueStateOnCreateAndWrite_ExpiresAndIsDeleted_ReadDoesNotExtend()
    {
        var value = Main.GetValueState(Ttl(new ValueStateDescriptor<int>("v", -1), 100, StateTtlUpdateType.OnCreateAndWrite, cleanupPerAccess: 0));
        SetKey("a");
        value.Update(7);
        _clock.NowMs += 99;
        Assert.Equal(7, value.Value);
        _clock.NowMs += 1;
        Assert.False(value.HasValue);
        Assert.Equal(-1, value.Value);
        Assert.Empty(Main.GetKeys("v"));
    }

    [Fact]
    public void Ttl_ValueStateOnReadAndWrite_ReadExtends()
    {
        var value = Main.GetValueState(Ttl(new ValueStateDescriptor<int>("v"), 100, StateTtlUpdateType.OnReadAndWrite));
        SetKey("a");
        value.Update(7);
        for (var i = 0; i < 5; i++)
        {
            _clock.NowMs += 60;
            Assert.Equal(7, value.Value);
        }

        _clock.NowMs += 100;
        Assert.False(value.HasValue);
    }

    [Fact]
    public void Ttl_ReducingAndAggregating_ExpiredValueIsNotFoldedIn()
    {
        var sum = Main.GetReducingState(Ttl(new ReducingStateDescriptor<long>("sum", (a, b) => a + b), 100, StateTtlUpdateType.OnCreateAndWrite));
        var average = Main.GetAggregatingState(Ttl(new AggregatingStateDescriptor<long, (long Sum, long Count), double>("avg", new Average()), 100, StateTtlUpdateType.OnCreateAndWrite));
        SetKey("a");
        sum.Add(5);
        average.Add(5);
        _clock.NowMs += 50;
        sum.Add(5);
        average.Add(7);
        Assert.Equal(10, sum.Get());
        Assert.Equal(6.0, average.Get());
        _clock.NowMs += 100;
        sum.Add(1);
        average.Add(1);
        Assert.Equal(1, sum.Get());
        Assert.Equal(1.0, average.Get());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Snapshot_RestoreAtAnotherParallelism_EveryEntryOnceInItsOwner(int newParallelism)
    {
        // Two old subtasks, each holding the keys of its own key groups in all five kinds of state.
        var keys = Enumerable.Range(0, 200).Select(i => "key-" + i).ToArray();
        var files = new IReadOnlyDictionary<string, byte[]>?[2];
        for (var old = 0; old < 2; old++)
        {
            var key = new KeyContext<string>();
            var subtask = Create(key, old);
            var states = new AllKinds(subtask);
            foreach (var k in keys.Where(k => Owns(old, 2, k)))
            {
                key.Current = k;
                key.IsSet = true;
                states.Fill(k);
            }

            files[old] = subtask.Snapshot()().ToDictionary(s => s.Section, s => s.Bytes);
        }

        var restored = new RestoredOperatorState(7, files);
        var seen = new HashSet<string>();
        for (var subtask = 0; subtask < newParallelism; subtask++)
        {
            var key = new KeyContext<string>();
            var backend = Create(key, subtask);

            // Value and list state exist before the restore, the others are created after it: both are filled.
            var value = backend.GetValueState(new ValueStateDescriptor<long>("value", -1));
            var list = backend.GetListState(new ListStateDescriptor<string>("list"));
            backend.Restore(restored, KeyGroups.RangeOf(subtask, MaxParallelism, newParallelism));
            var states = new AllKinds(backend);
            Assert.Same(value, states.Value);
            Assert.Same(list, states.List);
            foreach (var k in keys)
            {
                key.Current = k;
                key.IsSet = true;
                if (Owns(subtask, newParallelism, k))
                {
                    states.AssertFilled(k);
                    Assert.True(seen.Add(k));
                }
                else
                {
                    states.AssertEmpty();
                }
            }
        }

        Assert.Equal(keys.Length, seen.Count);
    }

    [Fact]
    public void Snapshot_ChangesAfterTheSynchronousPhase_NotInTheSnapshot()
    {
        // A list read, changed in place and written back is the common way to update a value: the snapshot must hold
        // the value as of the synchronous phase, not what the task did before the serialization ran.
        var lists = Main.GetValueState(new ValueStateDescriptor<List<int>>("lists"));
        var counts = Main.GetValueState(new ValueStateDescriptor<long>("counts"));
        var elements = Main.GetListState(new ListStateDescriptor<string>("elements"));
        var map = Main.GetMapState(new MapStateDescriptor<string, List<int>>("map"));
        SetKey("a");
        lists.Update([1, 2]);
        counts.Update(1);
        elements.Add("x");
        map.Put("u", [1]);

        var serialize = Main.Snapshot();
        var list = lists.Value;
        list.Add(3);
        lists.Update(list);
        counts.Update(2);
        elements.Add("y");
        var mapped = map.TryGetValue("u", out var inMap) ? inMap : [];
        mapped.Add(2);
        map.Put("u", mapped);
        map.Put("v", [9]);
        SetKey("b");
        counts.Update(5);
        var sections = serialize();

        var key = new KeyContext<string>();
        var restored = Create(key);
        restored.Restore(new RestoredOperatorState(1, [sections.ToDictionary(s => s.Section, s => s.Bytes)]), (0, MaxParallelism - 1));
        key.Current = "a";
        key.IsSet = true;
        Assert.Equal([1, 2], restored.GetValueState(new ValueStateDescriptor<List<int>>("lists")).Value);
        Assert.Equal(1, restored.GetValueState(new ValueStateDescriptor<long>("counts")).Value);
        Assert.Equal(["x"], restored.GetListState(new ListStateDescriptor<string>("elements")).Get());
        var restoredMap = restored.GetMapState(new MapStateDescriptor<string, List<int>>("map"));
        Assert.Equal(["u"], restoredMap.Entries().Select(e => e.Key));
        Assert.True(restoredMap.TryGetValue("u", out var restoredList));
        Assert.Equal([1], restoredList);
        key.Current = "b";
        Assert.False(restored.GetValueState(new ValueStateDescriptor<long>("counts")).HasValue);
    }

    [Fact]
    public void Snapshot_CompositeKeysHashedByRecordKey_RestoreTogetherWithTheRecordKey()
    {
        // As window contents are kept: the state key is (record key, part), its key group the record key's.
        var key = new KeyContext<(string Key, int Part)>();
        var backend = Backend.CreateKeyedBackend(new KeyedStateBackendParameters<(string Key, int Part)>
        {
            Key = key,
            KeyHash = static composite => KeyHash<string>.Of(composite.Key),
            MaxParallelism = MaxParallelism,
            ProcessingTime = new ProcessingTimeService(_clock),
            OperatorName = "composite",
            SubtaskIndex = 0,
        });
        _created.Add(backend);
        var parts = backend.GetValueState(new ValueStateDescriptor<int>("parts"));
        var recordKeys = Enumerable.Range(0, 40).Select(i => "r" + i).ToArray();
        foreach (var recordKey in recordKeys)
        {
            for (var part = 0; part < 3; part++)
            {
                key.Current = (recordKey, part);
                key.IsSet = true;
                parts.Update(part);
            }
        }

        var restored = new RestoredOperatorState(1, [backend.Snapshot()().ToDictionary(s => s.Section, s => s.Bytes)]);
        for (var subtask = 0; subtask < 2; subtask++)
        {
            var restoredKey = new KeyContext<(string Key, int Part)>();
            var half = Backend.CreateKeyedBackend(new KeyedStateBackendParameters<(string Key, int Part)>
            {
                Key = restoredKey,
                KeyHash = static composite => KeyHash<string>.Of(composite.Key),
                MaxParallelism = MaxParallelism,
                ProcessingTime = new ProcessingTimeService(_clock),
                OperatorName = "composite",
                SubtaskIndex = subtask,
            });
            _created.Add(half);
            half.Restore(restored, KeyGroups.RangeOf(subtask, MaxParallelism, 2));
            half.GetValueState(new ValueStateDescriptor<int>("parts"));
            var expected = recordKeys.Where(r => Owns(subtask, 2, r)).SelectMany(r => Enumerable.Range(0, 3).Select(part => (r, part))).Order();
            Assert.Equal(expected, half.GetKeys("parts").Order());
        }
    }

    [Fact]
    public void Restore_StateWrittenByAnotherBackend_RefusedNamingBoth()
    {
        var own = Backend.Sections;
        var others = StateBackend.KnownSections.Where(format => format.BackendName != own.BackendName).ToArray();
        Assert.NotEmpty(others);
        foreach (var other in others)
        {
            foreach (var section in other.SectionsOf("v"))
            {
                var restored = new RestoredOperatorState(1, [new Dictionary<string, byte[]> { [section] = [1, 2, 3] }]);
                var expected = $"State 'v' was checkpointed with the {other.BackendName} state backend and cannot be restored into the {own.BackendName} backend";

                // Declared after the restore, and before it.
                var later = Create(new KeyContext<string>());
                later.Restore(restored, (0, MaxParallelism - 1));
                Assert.StartsWith(expected, Assert.Throws<InvalidOperationException>(() => later.GetValueState(new ValueStateDescriptor<int>("v"))).Message, StringComparison.Ordinal);
                var earlier = Create(new KeyContext<string>());
                earlier.GetValueState(new ValueStateDescriptor<int>("v"));
                Assert.StartsWith(expected, Assert.Throws<InvalidOperationException>(() => earlier.Restore(restored, (0, MaxParallelism - 1))).Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Restore_MalformedSection_ThrowsInvalidData()
    {
        var section = Backend.Sections.SectionsOf("v").First();
        var restored = new RestoredOperatorState(1, [new Dictionary<string, byte[]> { [section] = [1, 0, 0, 0, 128, 0, 0, 0, 5] }]);
        var backend = Create(new KeyContext<string>());
        backend.Restore(restored, (0, MaxParallelism - 1));
        Assert.Throws<InvalidDataException>(() => backend.GetValueState(new ValueStateDescriptor<int>("v")));
    }

    [Fact]
    public void Snapshot_NoStates_NoSections()
    {
        Assert.Empty(Main.Snapshot()());
    }

    /// <summary>Releases what the subclass's backend keeps outside the process's objects (a working directory).</summary>
    protected virtual void DisposeBackendResources()
    {
    }

    private static bool Owns(int subtask, int parallelism, string key)
    {
        var (first, last) = KeyGroups.RangeOf(subtask, MaxParallelism, parallelism);
        var group = KeyGroups.Of(KeyHash<string>.Of(key), MaxParallelism);
        return group >= first && group <= last;
    }

    private IKeyedStateBackend<string> Create(KeyContext<string> key, int subtask = 0)
    {
        var backend = Backend.CreateKeyedBackend(Parameters(key, _clock, subtask));
        _created.Add(backend);
        return backend;
    }

    private KeyedStateBackendParameters<string> Parameters(KeyContext<string> key, ManualClock clock, int subtask) => new()
    {
        Key = key,
        MaxParallelism = MaxParallelism,
        ProcessingTime = new ProcessingTimeService(clock),
        OperatorName = "contract",
        SubtaskIndex = subtask,
    };

    private void SetKey(string key)
    {
        _key.Current = key;
        _key.IsSet = true;
    }

    /// <summary>Appends <see cref="Next"/> to a key's list, starting one for a key without.</summary>
    private sealed class Append : IValueUpdate<List<int>>
    {
        public int Next { get; set; }

        public List<int> Initial() => [Next];

        List<int> IValueUpdate<List<int>>.Next(List<int> current)
        {
            current.Add(Next);
            return current;
        }
    }

    /// <summary>One state of each kind, filled per key with values derived from the key.</summary>
    private sealed class AllKinds(IKeyedStateBackend<string> backend)
    {
        public ValueState<long> Value { get; } = backend.GetValueState(new ValueStateDescriptor<long>("value", -1));

        public ListState<string> List { get; } = backend.GetListState(new ListStateDescriptor<string>("list"));

        public MapState<int, string> Map { get; } = backend.GetMapState(new MapStateDescriptor<int, string>("map"));

        public ReducingState<long> Reducing { get; } = backend.GetReducingState(new ReducingStateDescriptor<long>("reducing", static (a, b) => a + b));

        public AggregatingState<long, double> Aggregating { get; } = backend.GetAggregatingState(new AggregatingStateDescriptor<long, (long Sum, long Count), double>("aggregating", new Average()));

        public void Fill(string key)
        {
            var n = long.Parse(key[4..], System.Globalization.CultureInfo.InvariantCulture);
            Value.Update(n);
            List.AddAll([key, key + "!"]);
            Map.Put(1, key);
            Map.Put(2, key + "?");
            Reducing.Add(n);
            Reducing.Add(1);
            Aggregating.Add(n);
            Aggregating.Add(n + 2);
        }

        public void AssertFilled(string key)
        {
            var n = long.Parse(key[4..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(n, Value.Value);
            Assert.Equal([key, key + "!"], List.Get());
            Assert.Equal([new(1, key), new(2, key + "?")], Map.Entries().OrderBy(e => e.Key));
            Assert.Equal(n + 1, Reducing.Get());
            Assert.Equal(n + 1.0, Aggregating.Get());
        }

        public void AssertEmpty()
        {
            Assert.False(Value.HasValue);
            Assert.Empty(List.Get());
            Assert.True(Map.IsEmpty);
            Assert.False(Reducing.TryGet(out _));
            Assert.False(Aggregating.TryGet(out _));
        }
    }
}
