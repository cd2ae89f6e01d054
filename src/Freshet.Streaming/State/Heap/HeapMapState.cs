namespace Freshet.Streaming.State.Heap;

/// <summary>
/// <see cref="MapState{TUserKey, TValue}"/> on the heap: a <c>Dictionary</c> of user key to
/// <see cref="StampedValue{T}"/> per key (never empty: an emptied map is removed). With TTL each user key expires on
/// its own; update-on-read restamps the entries a read returns. Snapshot entries
/// (<see cref="HeapKeyedState{TKey, TEntry}.SnapshotEntries"/>) are the dictionaries. Task thread only.
/// </summary>
internal sealed class HeapMapState<TKey, TUserKey, TValue> : HeapKeyedState<TKey, Dictionary<TUserKey, StampedValue<TValue>>>
    where TKey : notnull
    where TUserKey : notnull
{
    public HeapMapState(string name, KeyContext<TKey> key, StateTtl? ttl)
        : base(name, key, ttl)
    {
        State = new View(this);
    }

    /// <summary>The user-facing handle.</summary>
    public MapState<TUserKey, TValue> State { get; }

    protected override bool PurgeExpired(Dictionary<TUserKey, StampedValue<TValue>> entry, long nowMs)
    {
        foreach (var (userKey, value) in entry)
        {
            // Removing during enumeration is allowed for Dictionary (it does not invalidate the enumerator).
            if (Ttl!.IsExpired(value.StampMs, nowMs))
            {
                entry.Remove(userKey);
            }
        }

        return entry.Count == 0;
    }

    private Dictionary<TUserKey, StampedValue<TValue>> GetOrAddCurrent(long now)
    {
        if (!TryGetCurrent(now, out var map))
        {
            map = [];
            Store[CurrentKey] = map;
        }

        return map;
    }

    private void RemoveCurrentIfEmpty(Dictionary<TUserKey, StampedValue<TValue>> map)
    {
        if (map.Count == 0)
        {
            Store.Remove(CurrentKey);
        }
    }

    private sealed class View : MapState<TUserKey, TValue>
    {
        private readonly HeapMapState<TKey, TUserKey, TValue> _state;

        public View(HeapMapState<TKey, TUserKey, TValue> state)
        {
            _state = state;
        }

        public override bool IsEmpty => !_state.TryGetCurrent(out _);

        public override bool TryGetValue(TUserKey userKey, out TValue value)
        {
            ArgumentNullException.ThrowIfNull(userKey);
            var now = _state.BeginAccess();
            if (_state.TryGetCurrent(now, out var map) && map.TryGetValue(userKey, out var stamped))
            {
                if (_state.Ttl is { UpdateOnRead: true })
                {
                    map[userKey] = stamped with { StampMs = now };
                }

                value = stamped.Value;
                return true;
            }

            value = default!;
            return false;
        }

        /// <summary>A read of <paramref name="userKey"/>: with update-on-read it restarts the entry's time-to-live, as <see cref="TryGetValue"/> does.</summary>
        public override bool Contains(TUserKey userKey) => TryGetValue(userKey, out _);

        public override void Put(TUserKey userKey, TValue value)
        {
            ArgumentNullException.ThrowIfNull(userKey);
            var now = _state.BeginAccess();
            _state.GetOrAddCurrent(now)[userKey] = new StampedValue<TValue>(value, now);
        }

        public override void PutAll(IEnumerable<KeyValuePair<TUserKey, TValue>> entries)
        {
            ArgumentNullException.ThrowIfNull(entries);
            var stamp = _state.BeginAccess();
            var map = _state.GetOrAddCurrent(stamp);
            foreach (var (userKey, value) in entries)
            {
                ArgumentNullException.ThrowIfNull(userKey, nameof(entries));
                map[userKey] = new StampedValue<TValue>(value, stamp);
            }

            _state.RemoveCurrentIfEmpty(map);
        }

        public override bool Remove(TUserKey userKey)
        {
            ArgumentNullException.ThrowIfNull(userKey);
            if (!_state.TryGetCurrent(out var map) || !map.Remove(userKey))
            {
                return false;
            }

            _state.RemoveCurrentIfEmpty(map);
            return true;
        }

        public override IReadOnlyList<KeyValuePair<TUserKey, TValue>> Entries()
        {
            var now = _state.BeginAccess();
            if (!_state.TryGetCurrent(now, out var map))
            {
                return [];
            }

            var result = new KeyValuePair<TUserKey, TValue>[map.Count];
            var i = 0;
            foreach (var (userKey, stamped) in map)
            {
                result[i++] = new KeyValuePair<TUserKey, TValue>(userKey, stamped.Value);
            }

            if (_state.Ttl is { UpdateOnRead: true })
            {
                foreach (var (userKey, value) in result)
                {
                    map[userKey] = new StampedValue<TValue>(value, now);
                }
            }

            return result;
        }

        public override void Clear() => _state.RemoveCurrent();
    }
}
