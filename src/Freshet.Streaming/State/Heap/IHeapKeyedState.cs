namespace Freshet.Streaming.State.Heap;

/// <summary>
/// What every heap keyed state of an operator subtask tells about itself, whatever its key and value types. The typed
/// entries are on each class (<see cref="HeapKeyedState{TKey, TEntry}.SnapshotEntries"/> and
/// <see cref="HeapKeyedState{TKey, TEntry}.RestoreEntry"/>). Task thread only.
/// </summary>
internal interface IHeapKeyedState
{
    /// <summary>The descriptor's name.</summary>
    string Name { get; }

    /// <summary>Number of keys with an entry (expired entries not yet cleaned up included).</summary>
    int KeyCount { get; }
}
