using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.State.Heap;

/// <summary>
/// <see cref="IKeyedStateBackend{TKey}"/> on the managed heap: each state is a <c>Dictionary&lt;TKey, TEntry&gt;</c>
/// (<see cref="HeapKeyedState{TKey, TEntry}"/>) owned by the task thread, whose entries carry their time-to-live stamp.
/// <para>
/// Checkpoints: one section <c>state:&lt;name&gt;</c> per state, a <see cref="KeyGroupedStateSnapshot"/> whose key is
/// the serialized key and whose entry is the <see cref="StampedValue{T}"/> (value, reducing and aggregating states), the
/// list's stamped elements, or the map's (user key, stamped value) pairs. The synchronous phase purges expired entries,
/// copies lists and maps, and serializes at once the states whose values may change in place after the snapshot (any
/// type holding references except strings: an accumulator an aggregate function updates and returns, a value read,
/// changed and written back); the other states are serialized by the returned function, on any thread. A restore
/// re-inserts the entries of its key groups with their stamps, so time-to-live continues from the snapshot.
/// </para>
/// Task thread only; the function <see cref="Snapshot"/> returns may run on any thread.
/// </summary>
internal sealed class HeapKeyedStateBackend<TKey> : IKeyedStateBackend<TKey>
    where TKey : notnull
{
    private readonly KeyedStateBackendParameters<TKey> _parameters;
    private readonly Func<TKey, int> _keyGroupOf;
    private readonly Dictionary<string, IHeapKeyedState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<TKey[]>> _keys = new(StringComparer.Ordinal);
    private readonly List<CheckpointedState> _checkpointed = [];
    private RestoredKeyedState? _restored;

    public HeapKeyedStateBackend(KeyedStateBackendParameters<TKey> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters;
        _keyGroupOf = parameters.KeyGroupOf;
    }

    /// <summary>
    /// The states created so far, by descriptor name: <see cref="HeapValueState{TKey, T}"/>,
    /// <see cref="HeapListState{TKey, T}"/>, <see cref="HeapMapState{TKey, TUserKey, TValue}"/>,
    /// <see cref="HeapReducingState{TKey, T}"/> or <see cref="HeapAggregatingState{TKey, TIn, TAcc, TOut}"/>.
    /// </summary>
    public IReadOnlyDictionary<string, IHeapKeyedState> States => _states;

    /// <summary>The section holding heap state <paramref name="name"/>.</summary>
    public static string SectionOf(string name) => HeapStateBackend.SectionPrefix + name;

    public ValueState<T> GetValueState<T>(ValueStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate(descriptor, ttl =>
        {
            var state = new HeapValueState<TKey, T>(_parameters.Key, descriptor.DefaultValue, descriptor.Name, ttl);
            return (state, Checkpointed(state.Store, static e => e, static e => e, StampedSerializer(descriptor.Serializer), KeyGroupedStateSnapshot.MayBeMutatedInPlace<T>()));
        });
    }

    public ListState<T> GetListState<T>(ListStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate(descriptor, ttl =>
        {
            var state = new HeapListState<TKey, T>(descriptor.Name, _parameters.Key, ttl);
            var serializer = new ArraySnapshotSerializer<StampedValue<T>>(StampedSerializer(descriptor.Serializer));
            return (state, Checkpointed(state, static list => list.ToArray(), static array => [.. array], serializer, KeyGroupedStateSnapshot.MayBeMutatedInPlace<T>()));
        }).State;
    }

    public MapState<TUserKey, TValue> GetMapState<TUserKey, TValue>(MapStateDescriptor<TUserKey, TValue> descriptor)
        where TUserKey : notnull
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate(descriptor, ttl =>
        {
            var state = new HeapMapState<TKey, TUserKey, TValue>(descriptor.Name, _parameters.Key, ttl);
            var entry = new PairSnapshotSerializer<TUserKey, StampedValue<TValue>>(descriptor.KeySerializer ?? Serializers.Default<TUserKey>(), StampedSerializer(descriptor.ValueSerializer));
            var checkpointed = Checkpointed(
                state,
                static map => map.Select(static e => (e.Key, e.Value)).ToArray(),
                static array => array.ToDictionary(static e => e.Item1, static e => e.Item2),
                new ArraySnapshotSerializer<(TUserKey, StampedValue<TValue>)>(entry),
                KeyGroupedStateSnapshot.MayBeMutatedInPlace<TUserKey>() || KeyGroupedStateSnapshot.MayBeMutatedInPlace<TValue>());
            return (state, checkpointed);
        }).State;
    }

    public ReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate(descriptor, ttl =>
        {
            var state = new HeapReducingState<TKey, T>(descriptor.Name, _parameters.Key, ttl, descriptor.Reduce);
            return (state, Checkpointed(state.Store, static e => e, static e => e, StampedSerializer(descriptor.Serializer), KeyGroupedStateSnapshot.MayBeMutatedInPlace<T>()));
        });
    }

    public AggregatingState<TIn, TOut> GetAggregatingState<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate(descriptor, ttl =>
        {
            var state = new HeapAggregatingState<TKey, TIn, TAcc, TOut>(descriptor.Name, _parameters.Key, ttl, descriptor.AggregateFunction);
            return (state, Checkpointed(state.Store, static e => e, static e => e, StampedSerializer(descriptor.AccumulatorSerializer), KeyGroupedStateSnapshot.MayBeMutatedInPlace<TAcc>()));
        });
    }

    public IEnumerable<TKey> GetKeys(string stateName) => _keys.TryGetValue(stateName, out var keys) ? keys() : [];

    public Func<IReadOnlyList<(string Section, byte[] Bytes)>> Snapshot()
    {
        var captured = new List<(string Section, Func<byte[]> Serialize)>(_checkpointed.Count);
        foreach (var state in _checkpointed)
        {
            captured.Add((state.Section, state.Capture()));
        }

        return () =>
        {
            var sections = new List<(string, byte[])>(captured.Count);
            foreach (var (section, serialize) in captured)
            {
                sections.Add((section, serialize()));
            }

            return sections;
        };
    }

    public void Restore(RestoredOperatorState restored, (int First, int Last) keyGroupRange)
    {
        if (_restored is not null)
        {
            throw new InvalidOperationException("The keyed state of this subtask was already restored.");
        }

        _restored = new RestoredKeyedState(restored, keyGroupRange, HeapStateBackend.SectionFormat);
        foreach (var name in _states.Keys)
        {
            _restored.RequireWrittenByOwnBackend(name);
        }

        foreach (var state in _checkpointed)
        {
            state.Restore(_restored);
        }
    }

    /// <summary>Nothing to release: the states are garbage once the operator is.</summary>
    public void Dispose()
    {
    }

    private static StampedValueSerializer<T> StampedSerializer<T>(ISerializer<T>? serializer) => new(serializer ?? Serializers.Default<T>());

    /// <summary>
    /// The snapshot and restore of one state: entries frozen with <paramref name="freeze"/> on the task thread (a copy
    /// of a list or map), serialized then or later (<paramref name="serializeNow"/>), thawed back on restore.
    /// </summary>
    private CheckpointedState Checkpointed<TEntry, TFrozen>(HeapKeyedState<TKey, TEntry> store, Func<TEntry, TFrozen> freeze, Func<TFrozen, TEntry> thaw, ISerializer<TFrozen> serializer, bool serializeNow)
    {
        var section = SectionOf(store.Name);
        var maxParallelism = _parameters.MaxParallelism;
        var keySerializer = _parameters.KeySerializer;
        var keyGroupOf = _keyGroupOf;
        _keys.Add(store.Name, store.CopyKeys);
        return new CheckpointedState(
            section,
            () => KeyGroupedStateSnapshot.Snapshot(store.SnapshotEntries().Select(e => KeyValuePair.Create(e.Key, freeze(e.Value))), maxParallelism, keyGroupOf, keySerializer, serializer, serializeNow),
            restored =>
            {
                foreach (var bytes in restored.Section(section))
                {
                    KeyGroupedStateSnapshot.Restore(bytes, maxParallelism, restored.KeyGroupRange, keySerializer, serializer, (key, frozen) => store.RestoreEntry(key, thaw(frozen)));
                }
            });
    }

    private TState GetOrCreate<TState>(StateDescriptor descriptor, Func<StateTtl?, (TState State, CheckpointedState Checkpointed)> create)
        where TState : class, IHeapKeyedState
    {
        if (_states.TryGetValue(descriptor.Name, out var existing))
        {
            return existing as TState ?? throw new InvalidOperationException($"State '{descriptor.Name}' was already declared as another kind or type of state.");
        }

        _restored?.RequireWrittenByOwnBackend(descriptor.Name);
        var ttl = descriptor.TimeToLive is { } config ? new StateTtl(config, _parameters.ProcessingTime) : null;
        var (state, checkpointed) = create(ttl);
        _states.Add(descriptor.Name, state);
        _checkpointed.Add(checkpointed);
        if (_restored is not null)
        {
            checkpointed.Restore(_restored);
        }

        return state;
    }

    /// <summary>How one state is snapshotted (<c>Capture</c>: the synchronous phase, returning the serialization) and restored.</summary>
    private sealed record CheckpointedState(string Section, Func<Func<byte[]>> Capture, Action<RestoredKeyedState> Restore);
}
