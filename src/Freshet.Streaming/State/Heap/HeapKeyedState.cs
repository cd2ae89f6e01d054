using Freshet.Streaming.Keys;

namespace Freshet.Streaming.State.Heap;

/// <summary>
/// The storage shared by the heap keyed states: one <typeparamref name="TEntry"/> per key in a dictionary, read and
/// written at the current key of the <see cref="KeyContext{TKey}"/>. Key groups are not stored: a snapshot groups the
/// entries of <see cref="SnapshotEntries"/> by key group (<see cref="KeyGroupOf"/>, or the backend's key hash for
/// composite keys), and a restore re-inserts the entries of the key groups it owns with <see cref="RestoreEntry"/>.
/// <para>
/// Time-to-live (when <see cref="Ttl"/> is set): <see cref="TryGetCurrent(long, out TEntry)"/> purges the current key's expired parts
/// before returning it (lazy cleanup), and every access (<see cref="BeginAccess"/>, one clock read) also purges up to <c>CleanupEntriesPerAccess</c> other keys
/// in round-robin order (incremental cleanup): the cursor walks a copy of the key set taken when the previous walk
/// ended (into an array reused across passes), so cleanup allocates nothing in steady state.
/// </para>
/// Task thread only: no locks.
/// </summary>
internal abstract class HeapKeyedState<TKey, TEntry> : IHeapKeyedState
    where TKey : notnull
{
    private readonly KeyContext<TKey> _key;
    private TKey[] _cleanupKeys = [];
    private int _cleanupLength;
    private int _cleanupCursor;

    protected HeapKeyedState(string name, KeyContext<TKey> key, StateTtl? ttl)
    {
        Name = name;
        _key = key;
        Ttl = ttl;
    }

    public string Name { get; }

    public int KeyCount => Store.Count;

    /// <summary>The entries by key. Entries are never empty (an empty list or map is removed).</summary>
    protected Dictionary<TKey, TEntry> Store { get; } = [];

    /// <summary>The expiry rule, or null when entries never expire.</summary>
    protected StateTtl? Ttl { get; }

    protected TKey CurrentKey => _key.IsSet ? _key.Current : throw new InvalidOperationException("Keyed state can only be used while a record or timer of a key is processed.");

    /// <summary>The key group of <paramref name="key"/> at <paramref name="maxParallelism"/> (the job's number of key groups).</summary>
    public static int KeyGroupOf(TKey key, int maxParallelism) => KeyGroups.Of(KeyHash<TKey>.Of(key), maxParallelism);

    /// <summary>
    /// Every live entry, for a snapshot. Entries expired now are purged first and left out. The entries returned are
    /// the stored objects: serialize them before the task processes the next record.
    /// </summary>
    public IEnumerable<KeyValuePair<TKey, TEntry>> SnapshotEntries()
    {
        if (Ttl is not null)
        {
            var now = Ttl.Now;
            List<TKey>? expired = null;
            foreach (var (key, entry) in Store)
            {
                if (PurgeExpired(entry, now))
                {
                    (expired ??= []).Add(key);
                }
            }

            if (expired is not null)
            {
                foreach (var key in expired)
                {
                    Store.Remove(key);
                }
            }
        }

        return Store;
    }

    /// <summary>A copy of the keys with an entry (expired entries not yet cleaned up included).</summary>
    public TKey[] CopyKeys() => [.. Store.Keys];

    /// <summary>Puts back an entry read from a snapshot (replacing any entry of the key). Stamps are kept, so TTL continues from the snapshot.</summary>
    public void RestoreEntry(TKey key, TEntry entry) => Store[key] = entry;

    /// <summary>
    /// Purges the expired parts of <paramref name="entry"/> (in place for lists and maps) and says whether nothing is
    /// left, in which case the caller removes the key.
    /// </summary>
    protected abstract bool PurgeExpired(TEntry entry, long nowMs);

    /// <summary>
    /// Starts one state access: reads the clock once (0 without TTL, then the clock is not read) and runs incremental
    /// cleanup. Pass the result to <see cref="TryGetCurrent(long, out TEntry)"/> and use it as the stamp of writes.
    /// </summary>
    public long BeginAccess()
    {
        if (Ttl is null)
        {
            return 0;
        }

        var now = Ttl.Now;
        CleanupIncrementally(now);
        return now;
    }

    /// <summary>The current key's live entry at <paramref name="now"/> (from <see cref="BeginAccess"/>); purges its expired parts (lazy cleanup).</summary>
    protected bool TryGetCurrent(long now, out TEntry entry)
    {
        var key = CurrentKey;
        if (!Store.TryGetValue(key, out entry!))
        {
            return false;
        }

        if (Ttl is not null && PurgeExpired(entry, now))
        {
            Store.Remove(key);
            entry = default!;
            return false;
        }

        return true;
    }

    /// <summary>One whole access that reads the current key's live entry.</summary>
    protected bool TryGetCurrent(out TEntry entry) => TryGetCurrent(BeginAccess(), out entry);

    /// <summary>One whole access that removes the current key's entry.</summary>
    protected void RemoveCurrent()
    {
        BeginAccess();
        Store.Remove(CurrentKey);
    }

    private void CleanupIncrementally(long now)
    {
        var budget = Ttl!.CleanupEntriesPerAccess;
        for (var i = 0; i < budget; i++)
        {
            if (_cleanupCursor >= _cleanupLength)
            {
                if (Store.Count == 0)
                {
                    return;
                }

                // The copy's array is reused while the key set does not outgrow it: no allocation in steady state.
                if (_cleanupKeys.Length < Store.Count)
                {
                    _cleanupKeys = new TKey[Store.Count + (Store.Count / 4)];
                }

                Store.Keys.CopyTo(_cleanupKeys, 0);
                _cleanupLength = Store.Count;
                _cleanupCursor = 0;
            }

            var key = _cleanupKeys[_cleanupCursor];
            _cleanupKeys[_cleanupCursor++] = default!;
            if (Store.TryGetValue(key, out var entry) && PurgeExpired(entry, now))
            {
                Store.Remove(key);
            }
        }
    }
}
