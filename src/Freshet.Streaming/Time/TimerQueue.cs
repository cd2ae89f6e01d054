namespace Freshet.Streaming.Time;

/// <summary>
/// Timers of one clock for a keyed operator: deduplicated per (key, time) by a hash set, ordered by time in a
/// min-heap. Deletion is lazy: a deleted timer stays in the heap and is skipped when popped. Task thread only.
/// </summary>
internal sealed class TimerQueue<TKey>
    where TKey : notnull
{
    private readonly HashSet<(TKey Key, long Time)> _registered = [];
    private readonly PriorityQueue<(TKey Key, long Time), long> _heap = new();

    public int Count => _registered.Count;

    /// <summary>The live timers, in no particular order (for snapshots; do not register or delete while enumerating).</summary>
    public IEnumerable<(TKey Key, long Time)> Registered => _registered;

    /// <returns>True when the timer was new.</returns>
    public bool Register(TKey key, long time)
    {
        if (!_registered.Add((key, time)))
        {
            return false;
        }

        _heap.Enqueue((key, time), time);
        return true;
    }

    public void Delete(TKey key, long time) => _registered.Remove((key, time));

    /// <summary>Removes and returns the earliest live timer at or before <paramref name="time"/>.</summary>
    public bool TryPopDue(long time, out (TKey Key, long Time) timer)
    {
        while (_heap.TryPeek(out timer, out var due) && due <= time)
        {
            _heap.Dequeue();
            if (_registered.Remove(timer))
            {
                return true;
            }
        }

        timer = default;
        return false;
    }
}
