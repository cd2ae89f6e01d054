using System.Buffers;
using CsCheck;
using Freshet.Streaming.Application.Changelog;
using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using static Freshet.Streaming.Tests.TestSupport.TtlDescriptors;

namespace Freshet.Streaming.Tests.Application.Changelog;

/// <summary>
/// What the changelog backend logs and how a restore rebuilds from it, over each inner backend (a subclass names it):
/// one record per written key with its latest contents, tombstones for keys left empty, nothing for reads, drains that
/// forget what they returned, restores into a fresh backend (created before or after its states) that read back the
/// same contents, later changes winning, hostile records refused naming the state, checkpoints interchangeable with
/// the plain inner backend, and time-to-live across a restore.
/// </summary>
public abstract class ChangelogKeyedStateBackendTests : IDisposable
{
    protected const int MaxParallelism = 128;
    private readonly List<IDisposable> _created = [];
    private readonly ManualClock _clock = new(10_000);

    /// <summary>The backend the changelog backend wraps.</summary>
    protected abstract StateBackend Inner { get; }

    /// <summary>Whether two backends with the same contents take byte-identical snapshots (RocksDB: sorted scans).</summary>
    protected abstract bool SnapshotsAreCanonical { get; }

    /// <summary>How many random operation sequences the property test tries (fewer where each costs two databases).</summary>
    protected abstract int PropertyIterations { get; }

    /// <summary>(operation, key, a, b): 13 operations over the five kinds of state, 12 being a commit.</summary>
    private static Gen<(int Op, int Key, int A, int B)[]> Operations =>
        Gen.Select(Gen.Int[0, 12], Gen.Int[0, 5], Gen.Int[0, 20], Gen.Int[0, 20]).Array[0, 200];

    public void Dispose()
    {
        foreach (var created in Enumerable.Reverse(_created))
        {
            created.Dispose();
        }

        DisposeBackendResources();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Backend_KeepsNoStateAsObjects_SectionsAreTheInnerBackends()
    {
        var backend = new ChangelogStateBackend(Inner);
        Assert.False(backend.KeepsStateAsObjects);
        Assert.Same(Inner.Sections, backend.Sections);
        Assert.Throws<ArgumentException>(() => new ChangelogStateBackend(backend));
    }

    [Fact]
    public void DrainChanges_EveryKindWrittenTwice_OneRecordPerKeyWithLatestContents()
    {
        var (backend, key) = Create();
        var states = new ChangelogTestStates(backend, key);
        foreach (var k in new[] { "a", "b" })
        {
            SetKey(key, k);
            states.Value.Update(1);
            states.Value.Update(2);
            states.List.Add("x");
            states.List.AddAll(["y", "z"]);
            states.Map.Put(1, "one");
            states.Map.PutAll([new(2, "two"), new(1, "uno")]);
            states.Reducing.Add(3);
            states.Reducing.Add(4);
            states.Aggregating.Add(2);
            states.Aggregating.Add(6);
        }

        SetKey(key, "c");
        states.Value.Apply(new Increment());
        states.Value.Apply(new Increment());
        states.List.Update(["only"]);

        var drained = Changelog(backend).DrainChanges();
        Assert.Equal(ChangelogTestStates.Names, drained.Select(c => c.StateName));
        Assert.Equal(["a", "b", "c"], KeysOf(drained, "value"));
        Assert.Equal(["a", "b", "c"], KeysOf(drained, "list"));
        Assert.Equal(["a", "b"], KeysOf(drained, "map"));
        Assert.Equal(["a", "b"], KeysOf(drained, "reducing"));
        Assert.Equal(["a", "b"], KeysOf(drained, "aggregating"));

        var value = Record(drained, "value", "a");
        Assert.Equal([ChangelogValueFormat.Version, (byte)ChangelogStateKind.Value, 0, 0, 0, 0, 0, 0, 0, 2], value);
        Assert.Equal([ChangelogValueFormat.Version, (byte)ChangelogStateKind.Value, 0, 0, 0, 0, 0, 0, 0, 2], Record(drained, "value", "c"));
        Assert.Equal([.. Header(ChangelogStateKind.List), 0, 0, 0, 3, 0, 0, 0, 1, (byte)'x', 0, 0, 0, 1, (byte)'y', 0, 0, 0, 1, (byte)'z'], Record(drained, "list", "b"));
        Assert.Equal([.. Header(ChangelogStateKind.Reducing), 0, 0, 0, 0, 0, 0, 0, 7], Record(drained, "reducing", "a"));

        // The accumulator, not the result: a restore needs to go on adding to it.
        var accumulator = Record(drained, "aggregating", "b")!;
        Assert.Equal(Header(ChangelogStateKind.Aggregating), accumulator[..2]);
        Assert.Equal((8L, 2L), Serializers.Default<(long, long)>().Deserialize(accumulator.AsSpan(2)));

        var map = Record(drained, "map", "a")!;
        Assert.Equal(Header(ChangelogStateKind.Map), map[..2]);
        Assert.Equal(2, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(map.AsSpan(2)));
    }

    [Fact]
    public void DrainChanges_KeyLeftEmpty_Tombstone()
    {
        var (backend, key) = Create();
        var states = new ChangelogTestStates(backend, key);
        SetKey(key, "a");
        Fill(states, 1);
        SetKey(key, "b");
        Fill(states, 2);
        Changelog(backend).DrainChanges();

        SetKey(key, "a");
        states.Value.Clear();
        states.List.Update([]);
        states.Map.Remove(1);
        states.Map.Remove(2);
        states.Reducing.Clear();
        states.Aggregating.Clear();
        SetKey(key, "b");
        states.List.Clear();
        states.Map.Clear();

        // Written and emptied within one commit interval: its one record is a tombstone.
        SetKey(key, "new");
        states.Value.Update(5);
        states.Value.Clear();

        var drained = Changelog(backend).DrainChanges();
        Assert.Null(Record(drained, "value", "a"));
        Assert.Null(Record(drained, "value", "new"));
        Assert.Null(Record(drained, "list", "a"));
        Assert.Null(Record(drained, "list", "b"));
        Assert.Null(Record(drained, "map", "a"));
        Assert.Null(Record(drained, "map", "b"));
        Assert.Null(Record(drained, "reducing", "a"));
        Assert.Null(Record(drained, "aggregating", "a"));
        Assert.Equal(["a", "new"], KeysOf(drained, "value"));
    }

    [Fact]
    public void DrainChanges_ReadsAndRemovingAnAbsentUserKey_NoChanges()
    {
        var (backend, key) = Create();
        var states = new ChangelogTestStates(backend, key);
        SetKey(key, "a");
        Fill(states, 1);
        Changelog(backend).DrainChanges();
        Assert.False(Changelog(backend).HasChanges);

        SetKey(key, "a");
        _ = states.Value.Value;
        _ = states.Value.HasValue;
        _ = states.List.Get();
        _ = states.Map.Entries();
        _ = states.Map.Contains(1);
        _ = states.Map.TryGetValue(2, out _);
        Assert.False(states.Map.Remove(99));
        _ = states.Reducing.Get();
        _ = states.Aggregating.Get();
        _ = backend.GetKeys("value").ToArray();
        SetKey(key, "absent");
        Assert.False(states.Map.Remove(1));

        Assert.False(Changelog(backend).HasChanges);
        Assert.Empty(Changelog(backend).DrainChanges());
    }

    [Fact]
    public void DrainChanges_Twice_SecondHasOnlyLaterWrites_KeyContextKept()
    {
        var (backend, key) = Create();
        var states = new ChangelogTestStates(backend, key);
        SetKey(key, "a");
        states.Value.Update(1);
        Assert.True(Changelog(backend).HasChanges);
        Assert.Single(Changelog(backend).DrainChanges());
        Assert.Equal("a", key.Current);
        Assert.True(key.IsSet);
        Assert.False(Changelog(backend).HasChanges);
        Assert.Empty(Changelog(backend).DrainChanges());

        key.IsSet = false;
        SetKey(key, "b");
        states.List.Add("x");
        key.IsSet = false;
        var second = Changelog(backend).DrainChanges();
        Assert.Equal(["list"], second.Select(c => c.StateName));
        Assert.Equal(["b"], KeysOf(second, "list"));
        Assert.False(key.IsSet);
    }

    [Fact]
    public void DrainChanges_SerializerFails_NothingForgottenUntilADrainSucceeds()
    {
        var (backend, key) = Create();
        var failing = new FailingSerializer();
        var flaky = backend.GetValueState(new ValueStateDescriptor<long>("flaky") { Serializer = failing });
        var fine = backend.GetValueState(new ValueStateDescriptor<long>("fine"));
        SetKey(key, "a");
        fine.Update(1);
        flaky.Update(2);
        failing.Fail = true;
        Assert.Throws<InvalidOperationException>(() => Changelog(backend).DrainChanges());
        failing.Fail = false;
        var drained = Changelog(backend).DrainChanges();
        Assert.Equal(["a"], KeysOf(drained, "fine"));
        Assert.Equal(["a"], KeysOf(drained, "flaky"));
    }

    [Fact]
    public void DrainChanges_AValueLargerThanTheRetainedBuffer_ThenSmallOnes_EachWhole()
    {
        var (backend, key) = Create();
        var value = backend.GetValueState(new ValueStateDescriptor<string>("s"));
        SetKey(key, "big");
        var big = new string('x', 3 * 1024 * 1024);
        value.Update(big);
        var first = Changelog(backend).DrainChanges();
        Assert.Equal(big.Length + 2, Record(first, "s", "big")!.Length);
        SetKey(key, "small");
        value.Update("y");
        Assert.Equal([.. Header(ChangelogStateKind.Value), (byte)'y'], Record(Changelog(backend).DrainChanges(), "s", "small")!);
    }

    [Fact]
    public void ApplyChange_DrainedChangesIntoFreshBackend_SameContents()
    {
        var (original, key) = Create();
        var states = new ChangelogTestStates(original, key);
        for (var i = 0; i < 40; i++)
        {
            SetKey(key, "k" + i);
            Fill(states, i);
        }

        var (replica, replicaKey) = Create();
        var replicaStates = new ChangelogTestStates(replica, replicaKey);
        Apply(Changelog(original).DrainChanges(), Changelog(replica));

        Assert.Equal(states.Describe(), replicaStates.Describe());
        Assert.Equal(200, states.Describe().Count);
        Assert.False(Changelog(replica).HasChanges);
        if (SnapshotsAreCanonical)
        {
            Assert.Equal(Sections(original), Sections(replica));
        }

        // The restored accumulators go on accumulating.
        SetKey(replicaKey, "k3");
        replicaStates.Aggregating.Add(3);
        SetKey(key, "k3");
        states.Aggregating.Add(3);
        Assert.Equal(states.Aggregating.Get(), replicaStates.Aggregating.Get());
    }

    [Fact]
    public void ApplyChange_InterleavedCommitsInOrder_LaterChangesWin()
    {
        var (original, key) = Create();
        var states = new ChangelogTestStates(original, key);
        var commits = new List<IReadOnlyList<ChangelogStateChanges>>();
        for (var round = 0; round < 4; round++)
        {
            for (var i = round; i < 12; i += 2)
            {
                SetKey(key, "k" + i);
                Fill(states, (round * 100) + i);
                if ((i + round) % 3 == 0)
                {
                    states.Value.Clear();
                    states.List.Clear();
                    states.Map.Remove(1);
                    states.Reducing.Clear();
                }
            }

            commits.Add(Changelog(original).DrainChanges());
        }

        var (replica, replicaKey) = Create();
        var replicaStates = new ChangelogTestStates(replica, replicaKey);
        foreach (var commit in commits)
        {
            Apply(commit, Changelog(replica));
        }

        Assert.Equal(states.Describe(), replicaStates.Describe());

        // Out of order, an older commit's contents would show: the order is what makes a replay right.
        var (reordered, reorderedKey) = Create();
        var reorderedStates = new ChangelogTestStates(reordered, reorderedKey);
        foreach (var commit in Enumerable.Reverse(commits))
        {
            Apply(commit, Changelog(reordered));
        }

        Assert.NotEqual(states.Describe(), reorderedStates.Describe());
    }

    [Fact]
    public void ApplyChange_BeforeTheStatesAreCreated_AppliedWhenEachIsCreated()
    {
        var (original, key) = Create();
        var states = new ChangelogTestStates(original, key);
        for (var i = 0; i < 10; i++)
        {
            SetKey(key, "k" + i);
            Fill(states, i);
        }

        SetKey(key, "k4");
        states.Value.Clear();
        var first = Changelog(original).DrainChanges();
        SetKey(key, "k5");
        states.List.Update(["later"]);
        states.Reducing.Clear();
        var second = Changelog(original).DrainChanges();

        var (replica, replicaKey) = Create();
        Apply(first, Changelog(replica));
        Apply(second, Changelog(replica));
        Assert.Equal(ChangelogTestStates.Names.Order(StringComparer.Ordinal), Changelog(replica).PendingStateNames.Order(StringComparer.Ordinal));

        SetKey(replicaKey, "unrelated");
        var replicaStates = new ChangelogTestStates(replica, replicaKey);
        Assert.Empty(Changelog(replica).PendingStateNames);
        Assert.Equal("unrelated", replicaKey.Current);
        Assert.Equal(states.Describe(), replicaStates.Describe());
        Assert.False(Changelog(replica).HasChanges);
    }

    [Fact]
    public void ApplyChange_IntoCreatedState_ReplacesContentsUnlogged()
    {
        var (backend, key) = Create();
        var list = backend.GetListState(new ListStateDescriptor<string>("list"));
        SetKey(key, "a");
        list.AddAll(["1", "2"]);
        Changelog(backend).DrainChanges();
        SetKey(key, "b");

        Changelog(backend).ApplyChange("list", KeyBytes("a"), ListValue("3"));
        Assert.Equal("b", key.Current);
        SetKey(key, "a");
        Assert.Equal(["3"], list.Get());
        Changelog(backend).ApplyChange("list", KeyBytes("a"), null);
        Assert.Empty(list.Get());
        Assert.False(Changelog(backend).HasChanges);
    }

    public static TheoryData<string, byte[]> MalformedValues => new()
    {
        { "empty", [] },
        { "header only half there", [1] },
        { "unknown version", [2, (byte)ChangelogStateKind.List, 0, 0, 0, 0] },
        { "unknown kind", [1, 9, 0, 0, 0, 0] },
        { "count larger than the bytes", [1, (byte)ChangelogStateKind.List, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0] },
        { "negative count", [1, (byte)ChangelogStateKind.List, 0xff, 0xff, 0xff, 0xff] },
        { "count cut short", [1, (byte)ChangelogStateKind.List, 0, 0] },
        { "element longer than the bytes", [1, (byte)ChangelogStateKind.List, 0, 0, 0, 1, 0, 0, 0, 9, (byte)'x'] },
        { "bytes after the last element", [1, (byte)ChangelogStateKind.List, 0, 0, 0, 1, 0, 0, 0, 1, (byte)'x', 7] },
        { "element not UTF-8", [1, (byte)ChangelogStateKind.List, 0, 0, 0, 1, 0, 0, 0, 1, 0xff] },
    };

    [Theory]
    [MemberData(nameof(MalformedValues))]
    public void ApplyChange_MalformedValue_InvalidDataNamingTheState_ContentsKept(string problem, byte[] value)
    {
        var (backend, key) = Create();
        var list = backend.GetListState(new ListStateDescriptor<string>("orders-by-customer"));
        SetKey(key, "a");
        list.Add("kept");
        var error = Assert.Throws<InvalidDataException>(() => Changelog(backend).ApplyChange("orders-by-customer", KeyBytes("a"), value));
        Assert.Contains("state 'orders-by-customer'", error.Message, StringComparison.Ordinal);
        Assert.Equal(["kept"], list.Get());
        Assert.NotEmpty(problem);

        // Buffered for a state not created yet, the same record fails when the state is created.
        var (later, laterKey) = Create();
        Changelog(later).ApplyChange("orders-by-customer", KeyBytes("a"), value);
        error = Assert.Throws<InvalidDataException>(() => later.GetListState(new ListStateDescriptor<string>("orders-by-customer")));
        Assert.Contains("state 'orders-by-customer'", error.Message, StringComparison.Ordinal);
        Assert.False(laterKey.IsSet);
    }

    [Fact]
    public void ApplyChange_MalformedMapOrValue_InvalidDataNamingTheState()
    {
        var (backend, _) = Create();
        backend.GetMapState(new MapStateDescriptor<int, string>("m"));
        backend.GetValueState(new ValueStateDescriptor<long>("v"));
        backend.GetAggregatingState(new AggregatingStateDescriptor<long, (long Sum, long Count), double>("agg", new Average()));

        // A user key of 3 bytes where an int needs 4; a long of 2 bytes; an accumulator that is not JSON.
        byte[] shortUserKey = [.. Header(ChangelogStateKind.Map), 0, 0, 0, 1, 0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 1, (byte)'x'];
        Assert.Contains("state 'm'", Assert.Throws<InvalidDataException>(() => Changelog(backend).ApplyChange("m", KeyBytes("a"), shortUserKey)).Message, StringComparison.Ordinal);
        byte[] shortLong = [.. Header(ChangelogStateKind.Value), 1, 2];
        Assert.Contains("state 'v'", Assert.Throws<InvalidDataException>(() => Changelog(backend).ApplyChange("v", KeyBytes("a"), shortLong)).Message, StringComparison.Ordinal);
        byte[] notJson = [.. Header(ChangelogStateKind.Aggregating), (byte)'{', (byte)'x'];
        Assert.Contains("state 'agg'", Assert.Throws<InvalidDataException>(() => Changelog(backend).ApplyChange("agg", KeyBytes("a"), notJson)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyChange_MalformedKey_InvalidDataNamingTheState()
    {
        var (backend, _) = Create();
        var error = Assert.Throws<InvalidDataException>(() => Changelog(backend).ApplyChange("v", [0xff, 0xfe], null));
        Assert.Contains("state 'v'", error.Message, StringComparison.Ordinal);
        Assert.Contains("key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyChange_RecordOfAnotherKind_RefusedNamingBothKinds()
    {
        var (backend, _) = Create();
        backend.GetValueState(new ValueStateDescriptor<string>("s"));
        var error = Assert.Throws<InvalidOperationException>(() => Changelog(backend).ApplyChange("s", KeyBytes("a"), ListValue("x")));
        Assert.Contains("state 's'", error.Message, StringComparison.Ordinal);
        Assert.Contains("List", error.Message, StringComparison.Ordinal);
        Assert.Contains("Value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetState_SameNameAsAnotherKind_Throws()
    {
        var (backend, _) = Create();
        backend.GetReducingState(new ReducingStateDescriptor<long>("r", static (a, b) => a + b));
        Assert.Throws<InvalidOperationException>(() => backend.GetValueState(new ValueStateDescriptor<long>("r")));
        Assert.Throws<InvalidOperationException>(() => backend.GetAggregatingState(new AggregatingStateDescriptor<long, (long Sum, long Count), double>("r", new Average())));
    }

    [Fact]
    public void Snapshot_RestoresIntoThePlainInnerBackend_AndTheOtherWayRound()
    {
        var (changelog, key) = Create();
        var states = new ChangelogTestStates(changelog, key);
        for (var i = 0; i < 20; i++)
        {
            SetKey(key, "k" + i);
            Fill(states, i);
        }

        var expected = states.Describe();
        var sections = changelog.Snapshot()();

        var plainKey = new KeyContext<string>();
        var plain = Track(Inner.CreateKeyedBackend(Parameters(plainKey)));
        plain.Restore(new RestoredOperatorState(1, [sections.ToDictionary(s => s.Section, s => s.Bytes)]), (0, MaxParallelism - 1));
        Assert.Equal(expected, new ChangelogTestStates(plain, plainKey).Describe());

        var (back, backKey) = Create();
        back.Restore(new RestoredOperatorState(1, [plain.Snapshot()().ToDictionary(s => s.Section, s => s.Bytes)]), (0, MaxParallelism - 1));
        Assert.Equal(expected, new ChangelogTestStates(back, backKey).Describe());

        // A checkpoint restore is not processing: nothing to log.
        Assert.False(Changelog(back).HasChanges);
    }

    [Fact]
    public void Ttl_ExpiredAtTheDrain_Tombstone_RestoredContentsGetAFreshTimeToLive()
    {
        var (backend, key) = Create();
        var value = backend.GetValueState(Ttl(new ValueStateDescriptor<long>("v"), 100, StateTtlUpdateType.OnCreateAndWrite));
        SetKey(key, "gone");
        value.Update(1);
        SetKey(key, "kept");
        _clock.NowMs += 60;
        value.Update(2);
        _clock.NowMs += 50;
        var drained = Changelog(backend).DrainChanges();
        Assert.Null(Record(drained, "v", "gone"));
        Assert.NotNull(Record(drained, "v", "kept"));

        // Applied 90 ms after it was written, the value lives 100 ms from then.
        _clock.NowMs += 30;
        var (replica, replicaKey) = Create();
        var restored = replica.GetValueState(Ttl(new ValueStateDescriptor<long>("v"), 100, StateTtlUpdateType.OnCreateAndWrite));
        Apply(drained, Changelog(replica));
        SetKey(replicaKey, "kept");
        _clock.NowMs += 99;
        Assert.Equal(2, restored.Value);
        _clock.NowMs += 1;
        Assert.False(restored.HasValue);
    }

    [Fact]
    public void DrainChanges_CompositeKeys_StableBytesThatRestoreTheSameKeys()
    {
        var key = new KeyContext<(string Customer, int Region)>();
        var backend = Track(new ChangelogStateBackend(Inner).CreateKeyedBackend(new KeyedStateBackendParameters<(string Customer, int Region)>
        {
            Key = key,
            MaxParallelism = MaxParallelism,
            ProcessingTime = new ProcessingTimeService(_clock),
            OperatorName = "composite",
            SubtaskIndex = 0,
            KeyHash = static k => Keys.KeyHash<string>.Of(k.Customer),
        }));
        var value = backend.GetValueState(new ValueStateDescriptor<long>("v"));
        key.IsSet = true;
        key.Current = (new string(['a', 'b']), 1);
        value.Update(1);
        key.Current = ("ab", 1);
        value.Update(2);
        key.Current = ("ab", 2);
        value.Update(3);

        var drained = ((IChangelogKeyedStateBackend)backend).DrainChanges();
        var records = drained.Single().Records;
        Assert.Equal(2, records.Count);
        var serializer = Serializers.Default<(string Customer, int Region)>();
        Assert.Contains(records, r => r.Key.AsSpan().SequenceEqual(serializer.SerializeToArray(("ab", 1))));
        Assert.Equal(serializer.SerializeToArray(("ab", 1)), serializer.SerializeToArray((string.Concat("a", "b"), 1)));

        var replicaKey = new KeyContext<(string Customer, int Region)>();
        var replica = Track(new ChangelogStateBackend(Inner).CreateKeyedBackend(new KeyedStateBackendParameters<(string Customer, int Region)>
        {
            Key = replicaKey,
            MaxParallelism = MaxParallelism,
            ProcessingTime = new ProcessingTimeService(_clock),
            OperatorName = "composite",
            SubtaskIndex = 0,
        }));
        foreach (var record in records)
        {
            ((IChangelogKeyedStateBackend)replica).ApplyChange("v", record.Key, record.Value);
        }

        var restored = replica.GetValueState(new ValueStateDescriptor<long>("v"));
        replicaKey.IsSet = true;
        replicaKey.Current = ("ab", 1);
        Assert.Equal(2, restored.Value);
        replicaKey.Current = ("ab", 2);
        Assert.Equal(3, restored.Value);
    }

    [Fact]
    public void ApplyChange_RandomOperationsDrainedAtRandomCommits_ReplicaHoldsTheSameContents()
    {
        Gen.Select(Operations, Gen.Bool).Sample(
            (operations, replicaStatesLate) =>
            {
                var key = new KeyContext<string>();
                using var original = new ChangelogStateBackend(Inner).CreateKeyedBackend(Parameters(key));
                var replicaKey = new KeyContext<string>();
                using var replica = new ChangelogStateBackend(Inner).CreateKeyedBackend(Parameters(replicaKey));
                var states = new ChangelogTestStates(original, key);
                var replicaStates = replicaStatesLate ? null : new ChangelogTestStates(replica, replicaKey);
                foreach (var (op, k, a, b) in operations)
                {
                    SetKey(key, "k" + k);
                    switch (op)
                    {
                        case 0: states.Value.Update(a); break;
                        case 1: states.Value.Clear(); break;
                        case 2: states.List.Add("e" + a); break;
                        case 3: states.List.Update(a % 3 == 0 ? [] : ["u" + a, "v" + b]); break;
                        case 4: states.List.Clear(); break;
                        case 5: states.Map.Put(a % 4, "m" + b); break;
                        case 6: states.Map.Remove(a % 4); break;
                        case 7: states.Map.Clear(); break;
                        case 8: states.Reducing.Add(a); break;
                        case 9: states.Reducing.Clear(); break;
                        case 10: states.Aggregating.Add(a); break;
                        case 11: states.Aggregating.Clear(); break;
                        default:
                            Apply(Changelog(original).DrainChanges(), Changelog(replica));
                            if (replicaStates is not null)
                            {
                                Assert.Equal(states.Describe(), replicaStates.Describe());
                            }

                            break;
                    }
                }

                Apply(Changelog(original).DrainChanges(), Changelog(replica));
                replicaStates ??= new ChangelogTestStates(replica, replicaKey);
                Assert.Equal(states.Describe(), replicaStates.Describe());
                Assert.False(Changelog(replica).HasChanges);
            },
            iter: PropertyIterations,
            threads: 1);
    }

    /// <summary>Releases what the subclass's backend keeps outside the process's objects (a working directory).</summary>
    protected virtual void DisposeBackendResources()
    {
    }

    /// <summary>The records of <paramref name="changes"/>, applied in order to <paramref name="target"/>.</summary>
    internal static void Apply(IReadOnlyList<ChangelogStateChanges> changes, IChangelogKeyedStateBackend target)
    {
        foreach (var state in changes)
        {
            foreach (var record in state.Records)
            {
                target.ApplyChange(state.StateName, record.Key, record.Value);
            }
        }
    }

    /// <summary>A changelog backend over <see cref="Inner"/> and its key context, disposed with the test.</summary>
    private protected (IKeyedStateBackend<string> Backend, KeyContext<string> Key) Create()
    {
        var key = new KeyContext<string>();
        return (Track(new ChangelogStateBackend(Inner).CreateKeyedBackend(Parameters(key))), key);
    }

    private protected static IChangelogKeyedStateBackend Changelog(IKeyedStateBackend<string> backend) => (IChangelogKeyedStateBackend)backend;

    private protected static void SetKey(KeyContext<string> key, string current)
    {
        key.Current = current;
        key.IsSet = true;
    }

    private static byte[] Header(ChangelogStateKind kind) => [ChangelogValueFormat.Version, (byte)kind];

    private static byte[] KeyBytes(string key) => Serializers.Utf8String.SerializeToArray(key);

    private static byte[] ListValue(params string[] elements)
    {
        var output = new ArrayBufferWriter<byte>();
        ChangelogValueFormat.WriteHeader(output, ChangelogStateKind.List);
        ChangelogValueFormat.WriteCount(output, elements.Length);
        foreach (var element in elements)
        {
            ChangelogValueFormat.WriteSized(output, Serializers.Utf8String, element);
        }

        return output.WrittenSpan.ToArray();
    }

    private static void Fill(ChangelogTestStates states, long n)
    {
        states.Value.Update(n);
        states.List.AddAll(["e" + n, "f" + n]);
        states.Map.Put(1, "m" + n);
        states.Map.Put(2, "n" + n);
        states.Reducing.Add(n);
        states.Reducing.Add(1);
        states.Aggregating.Add(n);
        states.Aggregating.Add(n + 3);
    }

    private static List<string> KeysOf(IReadOnlyList<ChangelogStateChanges> drained, string state) =>
        [.. drained.Single(c => c.StateName == state).Records.Select(r => Serializers.Utf8String.Deserialize(r.Key)).Order(StringComparer.Ordinal)];

    private static byte[]? Record(IReadOnlyList<ChangelogStateChanges> drained, string state, string key) =>
        drained.Single(c => c.StateName == state).Records.Single(r => Serializers.Utf8String.Deserialize(r.Key) == key).Value;

    private static List<(string, string)> Sections(IKeyedStateBackend<string> backend) =>
        [.. backend.Snapshot()().Select(s => (s.Section, Convert.ToHexString(s.Bytes))).Order()];

    private T Track<T>(T disposable)
        where T : IDisposable
    {
        _created.Add(disposable);
        return disposable;
    }

    private KeyedStateBackendParameters<string> Parameters(KeyContext<string> key) => new()
    {
        Key = key,
        MaxParallelism = MaxParallelism,
        ProcessingTime = new ProcessingTimeService(_clock),
        OperatorName = "changelog-test",
        SubtaskIndex = 0,
    };

    /// <summary>Adds one to a key's value, starting at 1.</summary>
    private sealed class Increment : IValueUpdate<long>
    {
        public long Initial() => 1;

        public long Next(long current) => current + 1;
    }

    /// <summary>Int64 big-endian that throws while <see cref="Fail"/> is set.</summary>
    private sealed class FailingSerializer : ISerializer<long>
    {
        public bool Fail { get; set; }

        public void Serialize(long value, IBufferWriter<byte> output)
        {
            if (Fail)
            {
                throw new InvalidOperationException("The serializer is told to fail.");
            }

            Serializers.Int64.Serialize(value, output);
        }

        public long Deserialize(ReadOnlySpan<byte> input) => Serializers.Int64.Deserialize(input);
    }
}
