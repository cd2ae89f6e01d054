using System.Buffers.Binary;
using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.State.RocksDb;

/// <summary>
/// <see cref="IKeyedStateBackend{TKey}"/> in RocksDB: the states of one operator subtask in one working database
/// (<see cref="RocksDbStateStore"/>, one column family per state), created under the backend's working directory on
/// the first state and deleted by <see cref="Dispose"/>. Values are serialized with the descriptor's serializer (or
/// <c>Serializers.Default</c>); reads deserialize copies.
/// <para>
/// Checkpoints: <see cref="Snapshot"/> pins one RocksDB snapshot of the whole database (O(1), on the task thread); the
/// returned function scans it on any thread into one section per state, <c>rocksdb:&lt;name&gt;</c>, or
/// <c>rocksdb-ttl:&lt;name&gt;</c> when the state has a time-to-live (its stored values carry stamps), in the layout of
/// <see cref="RocksDbStateSnapshot"/>. A restore writes the entries of its key groups into the column families; a
/// state restored with its time-to-live turned on or off is refused, as is one the heap wrote.
/// </para>
/// Task thread only; the function <see cref="Snapshot"/> returns may run on any thread (it holds a lease on the
/// database, so a dispose meanwhile closes the database only after it ran).
/// </summary>
internal sealed class RocksDbKeyedStateBackend<TKey> : IKeyedStateBackend<TKey>
    where TKey : notnull
{
    private readonly KeyedStateBackendParameters<TKey> _parameters;
    private readonly string _workingDirectory;
    private readonly Dictionary<string, RegisteredState> _states = new(StringComparer.Ordinal);
    private RocksDbStateStore? _store;
    private RocksDbKeySerializer<TKey>? _keys;
    private RestoredKeyedState? _restored;

    /// <param name="workingDirectory">The directory under which this subtask's database gets its own folder.</param>
    public RocksDbKeyedStateBackend(KeyedStateBackendParameters<TKey> parameters, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters;
        _workingDirectory = workingDirectory;
    }

    /// <summary>The subtask's working database, or null before the first state is created.</summary>
    public RocksDbStateStore? Store => _store;

    /// <summary>
    /// The section holding RocksDB state <paramref name="name"/> (stored bytes: it restores into RocksDB only); states
    /// with a time-to-live have their own prefix, because their stored values carry stamps.
    /// </summary>
    public static string SectionOf(string name, bool hasTtl = false) => (hasTtl ? RocksDbStateBackend.TtlSectionPrefix : RocksDbStateBackend.SectionPrefix) + name;

    public ValueState<T> GetValueState<T>(ValueStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate(descriptor, mapLayout: false, (store, keys, ttl) =>
            new RocksDbValueState<TKey, T>(store, descriptor.Name, _parameters.Key, keys, descriptor.Serializer ?? Serializers.Default<T>(), descriptor.DefaultValue, ttl));
    }

    public ListState<T> GetListState<T>(ListStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate(descriptor, mapLayout: false, (store, keys, ttl) =>
            new RocksDbListState<TKey, T>(store, descriptor.Name, _parameters.Key, keys, descriptor.Serializer ?? Serializers.Default<T>(), ttl));
    }

    public MapState<TUserKey, TValue> GetMapState<TUserKey, TValue>(MapStateDescriptor<TUserKey, TValue> descriptor)
        where TUserKey : notnull
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate(descriptor, mapLayout: true, (store, keys, ttl) =>
            new RocksDbMapState<TKey, TUserKey, TValue>(store, descriptor.Name, _parameters.Key, keys, descriptor.KeySerializer ?? Serializers.Default<TUserKey>(), descriptor.ValueSerializer ?? Serializers.Default<TValue>(), ttl));
    }

    public ReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate(descriptor, mapLayout: false, (store, keys, ttl) =>
            new RocksDbReducingState<TKey, T>(new RocksDbValueState<TKey, T>(store, descriptor.Name, _parameters.Key, keys, descriptor.Serializer ?? Serializers.Default<T>(), default!, ttl), descriptor.Reduce));
    }

    public AggregatingState<TIn, TOut> GetAggregatingState<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate(descriptor, mapLayout: false, (store, keys, ttl) =>
            new RocksDbAggregatingState<TKey, TIn, TAcc, TOut>(new RocksDbValueState<TKey, TAcc>(store, descriptor.Name, _parameters.Key, keys, descriptor.AccumulatorSerializer ?? Serializers.Default<TAcc>(), default!, ttl), descriptor.AggregateFunction));
    }

    public IEnumerable<TKey> GetKeys(string stateName) =>
        _store is not null && _states.TryGetValue(stateName, out var state) ? EnumerateKeys(_store, stateName, state.MapLayout) : [];

    public Func<IReadOnlyList<(string Section, byte[] Bytes)>> Snapshot()
    {
        if (_store is null)
        {
            return static () => [];
        }

        var captured = RocksDbStateSnapshot.Capture(_store);
        var ttlStates = _states.Where(static s => s.Value.HasTtl).Select(static s => s.Key).ToHashSet(StringComparer.Ordinal);
        var maxParallelism = _parameters.MaxParallelism;
        return () =>
        {
            using (captured)
            {
                return [.. captured.Serialize(maxParallelism).Select(s => (SectionOf(s.StateName, ttlStates.Contains(s.StateName)), s.Bytes))];
            }
        };
    }

    public void Restore(RestoredOperatorState restored, (int First, int Last) keyGroupRange)
    {
        if (_restored is not null)
        {
            throw new InvalidOperationException("The keyed state of this subtask was already restored.");
        }

        var restoring = new RestoredKeyedState(restored, keyGroupRange, RocksDbStateBackend.SectionFormat);
        foreach (var (name, state) in _states)
        {
            RequireRestorable(restoring, name, state.HasTtl);
        }

        _restored = restoring;
        foreach (var (name, state) in _states)
        {
            RestoreInto(name, state.HasTtl);
        }
    }

    /// <summary>Deletes this subtask's working database, if one was created (after a running snapshot serialization, if any).</summary>
    public void Dispose()
    {
        _store?.Dispose();
        _store = null;
    }

    private TState GetOrCreate<TState>(StateDescriptor descriptor, bool mapLayout, Func<RocksDbStateStore, RocksDbKeySerializer<TKey>, StateTtl?, TState> create)
        where TState : class
    {
        if (_states.TryGetValue(descriptor.Name, out var existing))
        {
            return existing.State as TState ?? throw new InvalidOperationException($"State '{descriptor.Name}' was already declared as another kind or type of state.");
        }

        var ttl = descriptor.TimeToLive is { } config ? new StateTtl(config, _parameters.ProcessingTime) : null;
        if (_restored is not null)
        {
            RequireRestorable(_restored, descriptor.Name, hasTtl: ttl is not null);
        }

        if (_store is null)
        {
            var safeName = string.Concat(_parameters.OperatorName.Select(static c => char.IsLetterOrDigit(c) ? c : '-'));
            _store = new RocksDbStateStore(Path.Combine(_workingDirectory, $"{safeName}-{_parameters.SubtaskIndex}-{Guid.NewGuid():N}"));
            _keys = new RocksDbKeySerializer<TKey>(_parameters.KeySerializer, _parameters.KeyGroupOf);
        }

        var state = create(_store, _keys!, ttl);
        _states.Add(descriptor.Name, new RegisteredState(state, ttl is not null, mapLayout));
        RestoreInto(descriptor.Name, ttl is not null);
        return state;
    }

    /// <summary>Refuses state <paramref name="name"/> when another backend wrote it or its time-to-live setting changed.</summary>
    private static void RequireRestorable(RestoredKeyedState restored, string name, bool hasTtl)
    {
        restored.RequireWrittenByOwnBackend(name);
        if (restored.Has(SectionOf(name, !hasTtl)))
        {
            throw new InvalidOperationException(
                $"State '{name}' was checkpointed {(hasTtl ? "without" : "with")} a time-to-live and cannot be restored {(hasTtl ? "with" : "without")} one (its stored values {(hasTtl ? "lack" : "carry")} stamps); keep the state's TTL setting, or give it a new name.");
        }
    }

    private void RestoreInto(string name, bool hasTtl)
    {
        if (_restored is null)
        {
            return;
        }

        foreach (var bytes in _restored.Section(SectionOf(name, hasTtl)))
        {
            RocksDbStateSnapshot.Restore(_store!, name, bytes, _parameters.MaxParallelism, _restored.KeyGroupRange);
        }
    }

    /// <summary>
    /// The distinct keys of one column family in stored order. Stored keys are <c>[key group][key]</c>, or for map
    /// state <c>[key group][int32 key length][key][user key]</c>, where one key's entries are contiguous.
    /// </summary>
    private IEnumerable<TKey> EnumerateKeys(RocksDbStateStore store, string stateName, bool mapLayout)
    {
        using var iterator = store.NewIterator(store.ColumnFamily(stateName), fillCache: false);
        byte[] previous = [];
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
        {
            if (TryReadNewKey(iterator.Key(), mapLayout, ref previous, out var key))
            {
                yield return key;
            }
        }
    }

    /// <summary>The key of <paramref name="stored"/>, unless it is the map-layout key of the previous entry.</summary>
    private bool TryReadNewKey(byte[] stored, bool mapLayout, ref byte[] previous, out TKey key)
    {
        const int Group = RocksDbStateStore.KeyGroupPrefixBytes;
        if (!mapLayout)
        {
            key = _parameters.KeySerializer.Deserialize(stored.AsSpan(Group));
            return true;
        }

        var keyBytes = stored.AsSpan(Group + 4, BinaryPrimitives.ReadInt32BigEndian(stored.AsSpan(Group)));
        if (keyBytes.SequenceEqual(previous))
        {
            key = default!;
            return false;
        }

        previous = keyBytes.ToArray();
        key = _parameters.KeySerializer.Deserialize(keyBytes);
        return true;
    }

    /// <summary>A created state: the object handed out, whether its stored values carry stamps, and its key layout.</summary>
    private sealed record RegisteredState(object State, bool HasTtl, bool MapLayout);
}
