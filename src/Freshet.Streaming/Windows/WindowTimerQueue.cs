namespace Freshet.Streaming.Windows;

/// <summary>
/// Timers of (key, window) in one time domain: a min-heap by time plus the set of live timers, so registering a timer
/// twice is a no-op and deleting one is O(1) (deleted entries are skipped when popped). Task thread only.
/// </summary>
internal sealed class WindowTimerQueue<TKey>
    where TKey : notnull
{
    private readonly PriorityQueue<(TKey Key, TimeWindow Window), long> _heap = new();
    private readonly HashSet<(TKey Key, TimeWindow Window, long Time)> _live = [];

    public int Count => _live.Count;

    /// <returns>True when the timer was not registered yet.</returns>
    public bool Register(TKey key, TimeWindow window, long time)
    {
        if (!_live.Add((key, window, time)))
        {
            return false;
        }

        _heap.Enqueue((key, window), time);
        return true;
    }

    public void Delete(TKey key, TimeWindow window, long time) => _live.Remove((key, window, time));

    /// <summary>Removes and returns the earliest live timer at or before <paramref name="limit"/>.</summary>
    public bool TryPopDue(long limit, out TKey key, out TimeWindow window, out long time)
    {
        while (_heap.TryPeek(out var entry, out time) && time <= limit)
        {
            _heap.Dequeue();
            if (_live.Remove((entry.Key, entry.Window, time)))
            {
                key = entry.Key;
                window = entry.Window;
                return true;
            }
        }

        key = default!;
        window = default;
        time = 0;
        return false;
    }
}
