using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.State.Heap;
using Freshet.Streaming.State.RocksDb;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Operators;

/// <summary>
/// The <see cref="RuntimeContext"/> of a keyed operator subtask: hands out state by name from the job's
/// <see cref="StateBackend"/>. Heap states are kept in <see cref="States"/> so that snapshots can find them; RocksDB
/// states live in one working database per subtask, created on first use and deleted by <see cref="Dispose"/>.
/// <para>Checkpoints: every state registers its snapshot when it is created (<see cref="CaptureStates"/> gives one
/// section <c>state:&lt;name&gt;</c> per state, grouped by key group); after <see cref="SetRestored"/> a state created
/// later is filled from the sections of that name in every old subtask, keeping the key groups this subtask owns, so
/// functions that declare their states in <c>Open</c> or lazily both see them restored.</para>
/// Task thread only.
/// </summary>
internal sealed class KeyedRuntimeContext<TKey> : RuntimeContext, IDisposable
    where TKey : notnull
{
    private readonly KeyContext<TKey> _key;
    private readonly ProcessingTimeService _processingTime;
    private readonly Dictionary<string, IHeapKeyedState> _states = new(StringComparer.Ordinal);
    private readonly StateBackend _backend;
    private readonly int _maxParallelism;
    private readonly string _operatorName;
    private readonly Dictionary<string, object> _rocksStates = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rocksTtlStates = new(StringComparer.Ordinal);
    private readonly List<(string Section, Func<Func<byte[]>> Capture)> _captures = [];
    private readonly ISerializer<TKey> _keySerializer = Serializers.Default<TKey>();
    private RocksDbStateStore? _rocks;
    private RocksDbKeySerializer<TKey>? _rocksKeys;
    private RestoredOperatorState? _restored;
    private (int First, int Last) _keyGroupRange;

    public KeyedRuntimeContext(KeyContext<TKey> key, int subtask, int parallelism, ProcessingTimeService processingTime)
        : this(key, subtask, parallelism, processingTime, StateBackend.Heap, maxParallelism: 128, operatorName: "operator")
    {
    }

    /// <param name="backend">Where states live: heap objects, or a RocksDB database of this subtask created on first use.</param>
    public KeyedRuntimeContext(KeyContext<TKey> key, int subtask, int parallelism, ProcessingTimeService processingTime, StateBackend backend, int maxParallelism, string operatorName)
    {
        _key = key;
        IndexOfThisSubtask = subtask;
        NumberOfParallelSubtasks = parallelism;
        _processingTime = processingTime;
        _backend = backend;
        _maxParallelism = maxParallelism;
        _operatorName = operatorName;
    }

    public override int IndexOfThisSubtask { get; }

    public override int NumberOfParallelSubtasks { get; }

    /// <summary>
    /// The states created so far, by descriptor name: <see cref="HeapValueState{TKey, T}"/>,
    /// <see cref="HeapListState{TKey, T}"/>, <see cref="HeapMapState{TKey, TUserKey, TValue}"/>,
    /// <see cref="HeapReducingState{TKey, T}"/> or <see cref="HeapAggregatingState{TKey, TIn, TAcc, TOut}"/>.
    /// </summary>
    public IReadOnlyDictionary<string, IHeapKeyedState> States => _states;

    public override ValueState<T> GetState<T>(ValueStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (_backend is StateBackend.RocksDbBackend)
        {
            return GetOrCreateRocks(descriptor, (store, keys, ttl) => new RocksDbValueState<TKey, T>(store, descriptor.Name, _key, keys, descriptor.Serializer ?? Serializers.Default<T>(), descriptor.DefaultValue, ttl));
        }

        return GetOrCreate<HeapValueState<TKey, T>>(descriptor, ttl =>
        {
            var state = new HeapValueState<TKey, T>(_key, descriptor.DefaultValue, descriptor.Name, ttl);
            Checkpointed(descriptor.Name, state.Store, static e => e, static e => e, new StampedValueSerializer<T>(descriptor.Serializer ?? Serializers.Default<T>()));
            return state;
        });
    }

    public override ListState<T> GetListState<T>(ListStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (_backend is StateBackend.RocksDbBackend)
        {
            return GetOrCreateRocks(descriptor, (store, keys, ttl) => new RocksDbListState<TKey, T>(store, descriptor.Name, _key, keys, descriptor.Serializer ?? Serializers.Default<T>(), ttl));
        }

        return GetOrCreate<HeapListState<TKey, T>>(descriptor, ttl =>
        {
            var state = new HeapListState<TKey, T>(descriptor.Name, _key, ttl);
            Checkpointed(descriptor.Name, state, static list => list.ToArray(), static array => [.. array], new ArraySnapshotSerializer<StampedValue<T>>(new StampedValueSerializer<T>(descriptor.Serializer ?? Serializers.Default<T>())));
            return state;
        }).State;
    }

    public override MapState<TUserKey, TValue> GetMapState<TUserKey, TValue>(MapStateDescriptor<TUserKey, TValue> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (_backend is StateBackend.RocksDbBackend)
        {
            return GetOrCreateRocks(descriptor, (store, keys, ttl) => new RocksDbMapState<TKey, TUserKey, TValue>(store, descriptor.Name, _key, keys, descriptor.KeySerializer ?? Serializers.Default<TUserKey>(), descriptor.ValueSerializer ?? Serializers.Default<TValue>(), ttl));
        }

        return GetOrCreate<HeapMapState<TKey, TUserKey, TValue>>(descriptor, ttl =>
        {
            var state = new HeapMapState<TKey, TUserKey, TValue>(descriptor.Name, _key, ttl);
            var entrySerializer = new PairSnapshotSerializer<TUserKey, StampedValue<TValue>>(descriptor.KeySerializer ?? Serializers.Default<TUserKey>(), new StampedValueSerializer<TValue>(descriptor.ValueSerializer ?? Serializers.Default<TValue>()));
            Checkpointed(
                descriptor.Name,
                state,
                static map => map.Select(static e => (e.Key, e.Value)).ToArray(),
                static array => array.ToDictionary(static e => e.Item1, static e => e.Item2),
                new ArraySnapshotSerializer<(TUserKey, StampedValue<TValue>)>(entrySerializer));
            return state;
        }).State;
    }

    public override ReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (_backend is StateBackend.RocksDbBackend)
        {
            return GetOrCreateRocks(descriptor, (store, keys, ttl) => new RocksDbReducingState<TKey, T>(new RocksDbValueState<TKey, T>(store, descriptor.Name, _key, keys, descriptor.Serializer ?? Serializers.Default<T>(), default!, ttl), descriptor.Reduce));
        }

        return GetOrCreate<HeapReducingState<TKey, T>>(descriptor, ttl =>
        {
            var state = new HeapReducingState<TKey, T>(descriptor.Name, _key, ttl, descriptor.Reduce);
            Checkpointed(descriptor.Name, state.Store, static e => e, static e => e, new StampedValueSerializer<T>(descriptor.Serializer ?? Serializers.Default<T>()));
            return state;
        });
    }

    public override AggregatingState<TIn, TOut> GetAggregatingState<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (_backend is StateBackend.RocksDbBackend)
        {
            return GetOrCreateRocks(descriptor, (store, keys, ttl) => new RocksDbAggregatingState<TKey, TIn, TAcc, TOut>(new RocksDbValueState<TKey, TAcc>(store, descriptor.Name, _key, keys, descriptor.AccumulatorSerializer ?? Serializers.Default<TAcc>(), default!, ttl), descriptor.AggregateFunction));
        }

        return GetOrCreate<HeapAggregatingState<TKey, TIn, TAcc, TOut>>(descriptor, ttl =>
        {
            var state = new HeapAggregatingState<TKey, TIn, TAcc, TOut>(descriptor.Name, _key, ttl, descriptor.AggregateFunction);
            Checkpointed(descriptor.Name, state.Store, static e => e, static e => e, new StampedValueSerializer<TAcc>(descriptor.AccumulatorSerializer ?? Serializers.Default<TAcc>()));
            return state;
        });
    }

    /// <summary>
    /// Makes states created from now on start from <paramref name="restored"/> (the sections <c>state:&lt;name&gt;</c>
    /// of every old subtask), keeping the key groups in <paramref name="keyGroupRange"/>. Call before the function's
    /// <c>Open</c>.
    /// </summary>
    public void SetRestored(RestoredOperatorState restored, (int First, int Last) keyGroupRange)
    {
        _restored = restored;
        _keyGroupRange = keyGroupRange;
    }

    /// <summary>
    /// Synchronous phase of a checkpoint: captures every state created so far (heap entries copied or frozen; RocksDB
    /// states through one RocksDB snapshot, O(1)) and returns their serialization to run on the thread pool, one
    /// section per state. The returned function must be called exactly once (it releases the RocksDB snapshot).
    /// </summary>
    public Func<IReadOnlyList<(string Section, byte[] Bytes)>> CaptureStates()
    {
        var heap = new List<(string Section, Func<byte[]> Serialize)>(_captures.Count);
        foreach (var (section, capture) in _captures)
        {
            heap.Add((section, capture()));
        }

        var rocks = _rocks is null ? null : RocksDbStateSnapshot.Capture(_rocks);
        var rocksTtlStates = _rocksTtlStates.ToHashSet(StringComparer.Ordinal);
        var maxParallelism = _maxParallelism;
        return () =>
        {
            var sections = new List<(string, byte[])>(heap.Count);
            foreach (var (section, serialize) in heap)
            {
                sections.Add((section, serialize()));
            }

            if (rocks is not null)
            {
                using (rocks)
                {
                    foreach (var (stateName, bytes) in rocks.Serialize(maxParallelism))
                    {
                        sections.Add((RocksDbSectionOf(stateName, rocksTtlStates.Contains(stateName)), bytes));
                    }
                }
            }

            return sections;
        };
    }

    /// <summary>The section holding heap state <paramref name="name"/>.</summary>
    public static string SectionOf(string name) => "state:" + name;

    /// <summary>
    /// The section holding RocksDB state <paramref name="name"/> (stored bytes: it restores into RocksDB only); states
    /// with a time-to-live have their own prefix, because their stored values carry stamps.
    /// </summary>
    public static string RocksDbSectionOf(string name, bool hasTtl = false) => (hasTtl ? "rocksdb-ttl:" : "rocksdb:") + name;

    /// <summary>Fails clearly when the restored state of <paramref name="name"/> was written by the other backend.</summary>
    private void RequireSameBackend(string name, bool rocksDb)
    {
        if (_restored is not null && (rocksDb ? _restored.Section(SectionOf(name)) : _restored.Section(RocksDbSectionOf(name)).Concat(_restored.Section(RocksDbSectionOf(name, hasTtl: true)))).Any())
        {
            throw new InvalidOperationException(
                $"State '{name}' was checkpointed with the {(rocksDb ? "heap" : "RocksDB")} state backend and cannot be restored into the {(rocksDb ? "RocksDB" : "heap")} backend; restore it with the backend that wrote it.");
        }
    }

    /// <summary>Deletes this subtask's RocksDB working database, if one was created.</summary>
    public void Dispose()
    {
        _rocks?.Dispose();
        _rocks = null;
    }

    private TState GetOrCreateRocks<TState>(StateDescriptor descriptor, Func<RocksDbStateStore, RocksDbKeySerializer<TKey>, StateTtl?, TState> create)
        where TState : class
    {
        if (_rocksStates.TryGetValue(descriptor.Name, out var existing))
        {
            return existing as TState ?? throw new InvalidOperationException($"State '{descriptor.Name}' was already declared as another kind or type of state.");
        }

        if (_rocks is null)
        {
            var backend = (StateBackend.RocksDbBackend)_backend;
            var safeName = string.Concat(_operatorName.Select(c => char.IsLetterOrDigit(c) ? c : '-'));
            _rocks = new RocksDbStateStore(Path.Combine(backend.WorkingDirectory, $"{safeName}-{IndexOfThisSubtask}-{Guid.NewGuid():N}"));
            _rocksKeys = new RocksDbKeySerializer<TKey>(Serializers.Default<TKey>(), _maxParallelism);
        }

        var ttl = TtlOf(descriptor);
        var hasTtl = ttl is not null;
        var state = create(_rocks, _rocksKeys!, ttl);
        _rocksStates.Add(descriptor.Name, state);
        if (hasTtl)
        {
            _rocksTtlStates.Add(descriptor.Name);
        }

        RequireSameBackend(descriptor.Name, rocksDb: true);
        if (_restored is not null && _restored.Section(RocksDbSectionOf(descriptor.Name, !hasTtl)).Any())
        {
            throw new InvalidOperationException(
                $"State '{descriptor.Name}' was checkpointed {(hasTtl ? "without" : "with")} a time-to-live and cannot be restored {(hasTtl ? "with" : "without")} one (its stored values {(hasTtl ? "lack" : "carry")} stamps); keep the state's TTL setting, or give it a new name.");
        }

        if (_restored is not null)
        {
            foreach (var bytes in _restored.Section(RocksDbSectionOf(descriptor.Name, hasTtl)))
            {
                RocksDbStateSnapshot.Restore(_rocks, descriptor.Name, bytes, _maxParallelism, _keyGroupRange);
            }
        }

        return state;
    }

    /// <summary>
    /// Registers the snapshot of a heap state and restores it when this subtask was restored. Entries are frozen with
    /// <paramref name="freeze"/> on the task thread (a copy of a list or map; values themselves are not copied, so
    /// state values must not be mutated after they are stored) and serialized later.
    /// </summary>
    private void Checkpointed<TEntry, TFrozen>(string name, HeapKeyedState<TKey, TEntry> store, Func<TEntry, TFrozen> freeze, Func<TFrozen, TEntry> thaw, ISerializer<TFrozen> serializer)
    {
        var section = SectionOf(name);
        RequireSameBackend(name, rocksDb: false);
        var maxParallelism = _maxParallelism;
        var keySerializer = _keySerializer;
        _captures.Add((section, () =>
        {
            var captured = KeyGroupedStateSnapshot.Capture(store.SnapshotEntries().Select(e => KeyValuePair.Create(e.Key, freeze(e.Value))), maxParallelism);
            return () => KeyGroupedStateSnapshot.Serialize(captured, maxParallelism, keySerializer, serializer);
        }));
        if (_restored is not null)
        {
            foreach (var bytes in _restored.Section(section))
            {
                KeyGroupedStateSnapshot.Restore(bytes, maxParallelism, _keyGroupRange, keySerializer, serializer, (key, frozen) => store.RestoreEntry(key, thaw(frozen)));
            }
        }
    }

    private TState GetOrCreate<TState>(StateDescriptor descriptor, Func<StateTtl?, TState> create)
        where TState : class, IHeapKeyedState
    {
        if (_states.TryGetValue(descriptor.Name, out var existing))
        {
            return existing as TState ?? throw new InvalidOperationException($"State '{descriptor.Name}' was already declared as another kind or type of state.");
        }

        var state = create(TtlOf(descriptor));
        _states.Add(descriptor.Name, state);
        return state;
    }

    /// <summary>The expiry rule of <paramref name="descriptor"/>'s state on this task's clock, or null without a time-to-live.</summary>
    private StateTtl? TtlOf(StateDescriptor descriptor) => descriptor.TimeToLive is { } config ? new StateTtl(config, _processingTime) : null;
}
