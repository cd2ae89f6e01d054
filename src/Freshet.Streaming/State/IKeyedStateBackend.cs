namespace Freshet.Streaming.State;

/// <summary>
/// The keyed state of one operator subtask in one backend (Flink's <c>KeyedStateBackend</c>): the one seam through
/// which keyed operators — process functions' <c>RuntimeContext</c>, rolling aggregates, window contents — create,
/// snapshot and restore keyed state, whatever the job's <see cref="StateBackend"/>. Made by
/// <see cref="StateBackend.CreateKeyedBackend{TKey}"/>; implemented by <c>HeapKeyedStateBackend</c> (objects in
/// dictionaries) and <c>RocksDbKeyedStateBackend</c> (one RocksDB database per subtask).
/// <para>
/// Keys: every state reads and writes the entry of the current key of the <see cref="KeyContext{TKey}"/> given at
/// creation (<see cref="KeyedStateBackendParameters{TKey}.Key"/>); a key's key group comes from
/// <see cref="KeyedStateBackendParameters{TKey}.KeyHash"/>, so an operator whose state key is composite (a key and a
/// window) still places each entry in its record key's group.
/// </para>
/// <para>
/// States: one per descriptor name. Asking again for a name returns the same state; another kind or type under that
/// name throws <see cref="InvalidOperationException"/>. A descriptor with a time-to-live gets a state with the
/// semantics of <see cref="StateTtlConfig"/> on every backend.
/// </para>
/// <para>
/// Checkpoints: <see cref="Snapshot"/> is the synchronous phase (on the task thread, while no record is in flight)
/// and returns the asynchronous one; each state becomes one section named by the backend's
/// <see cref="StateBackend.Sections"/>, grouped by key group. <see cref="Restore"/> takes every old subtask's sections
/// and keeps the key groups of a range, into the states created so far and those created later, so a restore at
/// another parallelism moves whole key groups. A section written by another backend is refused by name.
/// </para>
/// Not thread-safe: task thread only, except where a member says otherwise.
/// </summary>
internal interface IKeyedStateBackend<TKey> : IDisposable
    where TKey : notnull
{
    /// <summary>The value state of <paramref name="descriptor"/>.</summary>
    ValueState<T> GetValueState<T>(ValueStateDescriptor<T> descriptor);

    /// <summary>The list state of <paramref name="descriptor"/>.</summary>
    ListState<T> GetListState<T>(ListStateDescriptor<T> descriptor);

    /// <summary>The map state of <paramref name="descriptor"/>.</summary>
    MapState<TUserKey, TValue> GetMapState<TUserKey, TValue>(MapStateDescriptor<TUserKey, TValue> descriptor)
        where TUserKey : notnull;

    /// <summary>The reducing state of <paramref name="descriptor"/>.</summary>
    ReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor);

    /// <summary>The aggregating state of <paramref name="descriptor"/>.</summary>
    AggregatingState<TIn, TOut> GetAggregatingState<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> descriptor);

    /// <summary>
    /// The keys that have an entry in state <paramref name="stateName"/> (none for a state not created), each once, in
    /// no defined order; with a time-to-live, entries expired but not yet cleaned up may be included. The sequence
    /// reads the state as of the start of its enumeration: writes made while it is enumerated neither disturb it nor
    /// show in it. What an operator uses to visit its keys without a record (after a restore, at end of input).
    /// </summary>
    IEnumerable<TKey> GetKeys(string stateName);

    /// <summary>
    /// Synchronous phase of a checkpoint: captures every state created so far (heap entries copied, or serialized when
    /// their values may be mutated in place; RocksDB through one RocksDB snapshot of the subtask's database) and
    /// returns the serialization, one <c>(section, bytes)</c> per state, to run on any thread while the task goes on.
    /// Call the returned function exactly once: it releases what the capture holds (a RocksDB snapshot).
    /// </summary>
    Func<IReadOnlyList<(string Section, byte[] Bytes)>> Snapshot();

    /// <summary>
    /// Fills the states created so far, and every state created later, from <paramref name="restored"/> (the sections of
    /// every old subtask), keeping the entries of the key groups in <paramref name="keyGroupRange"/> (inclusive). Call
    /// once, before the first record. Throws <see cref="InvalidOperationException"/> for a state another backend wrote
    /// (or, on RocksDB, one written with its time-to-live turned on or off) and <see cref="InvalidDataException"/> for
    /// malformed sections.
    /// </summary>
    void Restore(Checkpoints.RestoredOperatorState restored, (int First, int Last) keyGroupRange);
}
