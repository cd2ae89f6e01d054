namespace Freshet.Streaming.Queryable;

/// <summary>
/// The part of a queryable table one subtask (in application mode, one partition's task) holds: the key groups it
/// owns. Implemented by <see cref="LiveQueryablePart{TKey, TValue}"/> (reads run on the running task's thread) and
/// <see cref="FinalQueryablePart{TKey, TValue}"/> (the contents the subtask had when its input ended). Thread-safe.
/// </summary>
internal interface IQueryablePart<TKey, TValue>
    where TKey : notnull
{
    /// <summary>The value of <paramref name="key"/>, if it has one.</summary>
    /// <exception cref="Tasks.TaskMailboxClosedException">The task ended before it answered (look the part up again).</exception>
    bool TryGet(TKey key, out TValue value);

    /// <summary>Up to <paramref name="limit"/> entries of <paramref name="range"/>, in key order.</summary>
    /// <exception cref="Tasks.TaskMailboxClosedException">The task ended before it answered (look the part up again).</exception>
    List<KeyValuePair<TKey, TValue>> Scan(KeyRange<TKey> range, int limit, IComparer<TKey> comparer);

    /// <summary>The number of keys with a value.</summary>
    /// <exception cref="Tasks.TaskMailboxClosedException">The task ended before it answered (look the part up again).</exception>
    long CountKeys();
}
