namespace Freshet.Streaming.Windows;

// Merging windows: a key's live sessions and how a new window merges with them.
internal sealed partial class TriggerDrivenWindowOperator<TKey, TIn, TAcc, TOut>
{
    /// <summary>
    /// Adds <paramref name="window"/> to the key's sessions, merging every session it overlaps or touches (Flink's
    /// <c>TimeWindow.intersects</c>), and returns the session now holding it.
    /// </summary>
    private TimeWindow AddToSessions(TKey key, TimeWindow window)
    {
        if (!_sessions.TryGetValue(key, out var sessions))
        {
            sessions = [];
            _sessions.Add(key, sessions);
        }

        var merged = window;
        List<TimeWindow>? absorbed = null;
        foreach (var session in sessions)
        {
            if (session.Start <= merged.End && session.End >= merged.Start)
            {
                (absorbed ??= []).Add(session);
                merged = new TimeWindow(Math.Min(merged.Start, session.Start), Math.Max(merged.End, session.End));
            }
        }

        if (absorbed is null)
        {
            sessions.Add(window);
            return window;
        }

        // Absorbing one session that already covers the new window changes nothing.
        if (absorbed.Count == 1 && absorbed[0] == merged)
        {
            return merged;
        }

        // Later absorbed sessions may overlap the growing cover only after earlier ones widened it: repeat until stable.
        bool grew;
        do
        {
            grew = false;
            foreach (var session in sessions)
            {
                if (!absorbed.Contains(session) && session.Start <= merged.End && session.End >= merged.Start)
                {
                    absorbed.Add(session);
                    merged = new TimeWindow(Math.Min(merged.Start, session.Start), Math.Max(merged.End, session.End));
                    grew = true;
                }
            }
        }
        while (grew);

        foreach (var session in absorbed)
        {
            sessions.Remove(session);
        }

        _contents.Merge(key, absorbed, merged);
        sessions.Add(merged);

        _context.Set(key, merged, absorbed);
        _trigger.OnMerge(merged, _context);
        foreach (var session in absorbed)
        {
            if (session == merged)
            {
                continue;
            }

            _context.Set(key, session);
            _trigger.Clear(session, _context);
            DeleteCleanupTimer(key, session);
            _triggerState.Remove((key, session));
        }

        return merged;
    }
}
