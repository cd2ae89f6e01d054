namespace Freshet.Streaming.State.Heap;

/// <summary>
/// <see cref="ListState{T}"/> on the heap: a <c>List</c> of <see cref="StampedValue{T}"/> per key (never empty: an
/// emptied list is removed). With TTL each element expires on its own; a read with update-on-read restamps every
/// element it returns. Snapshot entries (<see cref="HeapKeyedState{TKey, TEntry}.SnapshotEntries"/>) are the lists.
/// Task thread only.
/// </summary>
internal sealed class HeapListState<TKey, T> : HeapKeyedState<TKey, List<StampedValue<T>>>
    where TKey : notnull
{
    public HeapListState(string name, KeyContext<TKey> key, StateTtl? ttl)
        : base(name, key, ttl)
    {
        State = new View(this);
    }

    /// <summary>The user-facing handle.</summary>
    public ListState<T> State { get; }

    protected override bool PurgeExpired(List<StampedValue<T>> entry, long nowMs)
    {
        var ttl = Ttl!;
        entry.RemoveAll(e => ttl.IsExpired(e.StampMs, nowMs));
        return entry.Count == 0;
    }

    private T[] Get()
    {
        var now = BeginAccess();
        if (!TryGetCurrent(now, out var list))
        {
            return [];
        }

        var result = new T[list.Count];
        var restamp = Ttl is { UpdateOnRead: true };
        for (var i = 0; i < list.Count; i++)
        {
            result[i] = list[i].Value;
            if (restamp)
            {
                list[i] = list[i] with { StampMs = now };
            }
        }

        return result;
    }

    private void AddAll(IEnumerable<T> values, bool replace)
    {
        ArgumentNullException.ThrowIfNull(values);
        var key = CurrentKey;
        var stamp = BeginAccess();
        if (!TryGetCurrent(stamp, out var list))
        {
            list = [];
        }
        else if (replace)
        {
            list.Clear();
        }

        foreach (var value in values)
        {
            list.Add(new StampedValue<T>(value, stamp));
        }

        if (list.Count == 0)
        {
            Store.Remove(key);
        }
        else
        {
            Store[key] = list;
        }
    }

    private sealed class View : ListState<T>
    {
        private readonly HeapListState<TKey, T> _state;

        public View(HeapListState<TKey, T> state)
        {
            _state = state;
        }

        public override IReadOnlyList<T> Get() => _state.Get();

        public override void Add(T value) => _state.AddAll([value], replace: false);

        public override void AddAll(IEnumerable<T> values) => _state.AddAll(values, replace: false);

        public override void Update(IEnumerable<T> values) => _state.AddAll(values, replace: true);

        public override void Clear() => _state.RemoveCurrent();

        internal override bool IsEmpty => !_state.TryGetCurrent(out _);
    }
}
