using System.Buffers;
using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Application.Changelog;

/// <summary>
/// The keyed state of one operator subtask in application mode: the inner backend's (heap or RocksDB) states, each
/// handed out behind a thin wrapper that marks the current key as changed on every write, so a commit can log each
/// changed key's contents (<see cref="DrainChanges"/>) to the state's compacted changelog topic and another process can
/// rebuild the state from it (<see cref="ApplyChange"/>).
/// <para>
/// Invariant: between two drains, a state's dirty keys are exactly the keys written through it (a superset when a
/// write failed half-way), each once. A drain reads each such key's contents as they are then, so a key written twice
/// is one record holding its latest contents. Writes by <see cref="ApplyChange"/> and by a checkpoint
/// <see cref="Restore"/> are not marked: they come from the changelog or a checkpoint, not from processing.
/// </para>
/// <para>
/// Checkpoints are the inner backend's, unchanged: <see cref="Snapshot"/> and <see cref="Restore"/> delegate, and the
/// reducing and aggregating states live in inner value states laid out as the inner backend's own, so a checkpoint
/// taken here restores into the plain inner backend and the other way round.
/// </para>
/// <para>
/// Keys in the changelog are the bytes of the parameters' key serializer (<c>Serializers.Default</c> unless the
/// operator names one, e.g. the window operator's (key, window) serializer). Compaction needs equal keys to give equal
/// bytes: true of the built-in serializers, of JSON for records and tuples of such values, and of the windowed key;
/// not of a key type whose JSON depends on more than its equality (a dictionary's insertion order).
/// </para>
/// Task thread only.
/// </summary>
internal sealed class ChangelogKeyedStateBackend<TKey> : IKeyedStateBackend<TKey>, IChangelogKeyedStateBackend
    where TKey : notnull
{
    private readonly IKeyedStateBackend<TKey> _inner;
    private readonly KeyedStateBackendParameters<TKey> _parameters;
    private readonly Dictionary<string, IChangelogState<TKey>> _states = new(StringComparer.Ordinal);

    /// <summary>The states in creation order: the order a drain reports them in.</summary>
    private readonly List<IChangelogState<TKey>> _created = [];

    /// <summary>Changes applied to states not created yet: per state name, the newest value (null: tombstone) per key.</summary>
    private readonly Dictionary<string, Dictionary<TKey, byte[]?>> _pending = new(StringComparer.Ordinal);

    /// <summary>A drain keeps a scratch buffer at most this large between drains (one huge value must not pin its memory).</summary>
    private const int RetainedBufferBytes = 1024 * 1024;

    /// <summary>Where a drain serializes keys and values; reused across drains up to <see cref="RetainedBufferBytes"/>.</summary>
    private ArrayBufferWriter<byte> _buffer = new(256);

    private readonly Action<IChangelogKeyedStateBackend>? _disposed;
    private readonly Action<IChangelogKeyedStateBackend, IReadOnlyList<ChangelogStateChanges>>? _drainAtSnapshot;
    private bool _isDisposed;

    /// <param name="inner">The backend that holds the states; owned (disposed with this one).</param>
    /// <param name="parameters">The parameters <paramref name="inner"/> was created with.</param>
    /// <param name="disposed">Called once when this backend is disposed, before its states are released (it may still drain).</param>
    /// <param name="drainAtSnapshot">
    /// When set, a checkpoint's <see cref="Snapshot"/> drains the changes into it (on the task thread, at the barrier)
    /// and stores no sections: the changelog is the state's durable copy (an application task). When null, snapshots
    /// are the inner backend's.
    /// </param>
    public ChangelogKeyedStateBackend(IKeyedStateBackend<TKey> inner, KeyedStateBackendParameters<TKey> parameters, Action<IChangelogKeyedStateBackend>? disposed = null, Action<IChangelogKeyedStateBackend, IReadOnlyList<ChangelogStateChanges>>? drainAtSnapshot = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(parameters);
        _inner = inner;
        _parameters = parameters;
        _disposed = disposed;
        _drainAtSnapshot = drainAtSnapshot;
    }

    public string OperatorName => _parameters.OperatorName;

    public string OperatorUid => _parameters.OperatorUid;

    public int SubtaskIndex => _parameters.SubtaskIndex;

    public bool HasChanges
    {
        get
        {
            foreach (var state in _created)
            {
                if (state.Dirty.Count > 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public IReadOnlyCollection<string> PendingStateNames => _pending.Keys;

    private KeyContext<TKey> Key => _parameters.Key;

    public ValueState<T> GetValueState<T>(ValueStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate(descriptor, () => new ChangelogValueState<TKey, T>(_inner.GetValueState(descriptor), descriptor, new ChangelogDirtyKeys<TKey>(Key)));
    }

    public ListState<T> GetListState<T>(ListStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate(descriptor, () => new ChangelogListState<TKey, T>(_inner.GetListState(descriptor), descriptor, new ChangelogDirtyKeys<TKey>(Key)));
    }

    public MapState<TUserKey, TValue> GetMapState<TUserKey, TValue>(MapStateDescriptor<TUserKey, TValue> descriptor)
        where TUserKey : notnull
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate(descriptor, () => new ChangelogMapState<TKey, TUserKey, TValue>(_inner.GetMapState(descriptor), descriptor, new ChangelogDirtyKeys<TKey>(Key)));
    }

    public ReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate(descriptor, () => new ChangelogReducingState<TKey, T>(
            _inner.GetValueState(ChangelogReducingState<TKey, T>.InnerDescriptor(descriptor)), descriptor, new ChangelogDirtyKeys<TKey>(Key)));
    }

    public AggregatingState<TIn, TOut> GetAggregatingState<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate(descriptor, () => new ChangelogAggregatingState<TKey, TIn, TAcc, TOut>(
            _inner.GetValueState(ChangelogAggregatingState<TKey, TIn, TAcc, TOut>.InnerDescriptor(descriptor)), descriptor, new ChangelogDirtyKeys<TKey>(Key)));
    }

    public IEnumerable<TKey> GetKeys(string stateName) => _inner.GetKeys(stateName);

    public Func<IReadOnlyList<(string Section, byte[] Bytes)>> Snapshot()
    {
        if (_drainAtSnapshot is null)
        {
            return _inner.Snapshot();
        }

        _drainAtSnapshot(this, DrainChanges());
        return static () => [];
    }

    public void Restore(RestoredOperatorState restored, (int First, int Last) keyGroupRange) => _inner.Restore(restored, keyGroupRange);

    public IReadOnlyList<ChangelogStateChanges> DrainChanges()
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        List<ChangelogStateChanges>? drained = null;
        var (savedKey, savedIsSet) = (Key.Current, Key.IsSet);
        try
        {
            foreach (var state in _created)
            {
                if (state.Dirty.Count == 0)
                {
                    continue;
                }

                var records = new ChangelogRecord[state.Dirty.Count];
                var i = 0;
                foreach (var key in state.Dirty.Keys)
                {
                    Key.Current = key;
                    Key.IsSet = true;
                    _buffer.ResetWrittenCount();
                    _parameters.KeySerializer.Serialize(key, _buffer);
                    var keyBytes = _buffer.WrittenSpan.ToArray();
                    _buffer.ResetWrittenCount();
                    records[i++] = new ChangelogRecord(keyBytes, state.TryWriteCurrent(_buffer) ? _buffer.WrittenSpan.ToArray() : null);
                }

                (drained ??= []).Add(new ChangelogStateChanges(state.Name, records));
            }
        }
        finally
        {
            Key.Current = savedKey;
            Key.IsSet = savedIsSet;
            if (_buffer.Capacity > RetainedBufferBytes)
            {
                _buffer = new ArrayBufferWriter<byte>(256);
            }
        }

        if (drained is null)
        {
            return [];
        }

        // Only once every state serialized: a failure above keeps every change for the next drain.
        foreach (var state in _created)
        {
            state.Dirty.Clear();
        }

        return drained;
    }

    public void ApplyChange(string stateName, byte[] key, byte[]? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        ArgumentNullException.ThrowIfNull(key);
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        var decoded = ChangelogValueFormat.Deserialize(_parameters.KeySerializer, key, stateName, "key");
        if (decoded is null)
        {
            throw ChangelogValueFormat.Malformed(stateName, "its key reads as null");
        }

        if (_states.TryGetValue(stateName, out var state))
        {
            ApplyAt(state, decoded, value);
            return;
        }

        if (!_pending.TryGetValue(stateName, out var pending))
        {
            pending = [];
            _pending.Add(stateName, pending);
        }

        pending[decoded] = value;
    }

    /// <summary>Tells the <c>disposed</c> callback, then releases the inner backend's state; later calls do nothing.</summary>
    public void Dispose()
    {
        if (_isDisposed)
        {
            return;
        }

        try
        {
            _disposed?.Invoke(this);
        }
        finally
        {
            _isDisposed = true;
            _pending.Clear();
            _inner.Dispose();
        }
    }

    /// <summary>
    /// The wrapper of <paramref name="descriptor"/>'s state: the one made before, or a new one over the inner backend's
    /// state, which then receives the changes applied to its name before it existed.
    /// </summary>
    private TState GetOrCreate<TState>(StateDescriptor descriptor, Func<TState> create)
        where TState : class, IChangelogState<TKey>
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        if (_states.TryGetValue(descriptor.Name, out var existing))
        {
            return existing as TState ?? throw new InvalidOperationException($"State '{descriptor.Name}' was already declared as another kind or type of state.");
        }

        var state = create();
        _states.Add(descriptor.Name, state);
        _created.Add(state);
        if (_pending.Remove(descriptor.Name, out var pending))
        {
            foreach (var (key, value) in pending)
            {
                ApplyAt(state, key, value);
            }
        }

        return state;
    }

    /// <summary>Applies one change to <paramref name="state"/> at <paramref name="key"/>, leaving the key context as it was.</summary>
    private void ApplyAt(IChangelogState<TKey> state, TKey key, byte[]? value)
    {
        var (savedKey, savedIsSet) = (Key.Current, Key.IsSet);
        Key.Current = key;
        Key.IsSet = true;
        try
        {
            state.ApplyCurrent(value, value is null);
        }
        finally
        {
            Key.Current = savedKey;
            Key.IsSet = savedIsSet;
        }
    }
}
