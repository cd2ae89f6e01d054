namespace Freshet.Streaming.Windows;

// Time: event-time and processing-time timers, watermarks, and the cleanup timer of each window.
internal sealed partial class TriggerDrivenWindowOperator<TKey, TIn, TAcc, TOut>
{
    protected override void OnWatermark(long watermark)
    {
        _watermark = watermark;
        while (_eventTimers.TryPopDue(watermark, out var timer))
        {
            OnTimer(timer.Key.Key, timer.Key.Window, timer.Time, eventTime: true);
        }

        if (watermark == long.MaxValue)
        {
            // The final watermark: every input has ended. Fire the last processing-time windows now rather than at
            // finish, so that their results precede a bounded job's final checkpoint (an exactly-once sink commits them).
            FireProcessingTimers(long.MaxValue);
        }

        _output.Watermark(watermark);
        _lateOutput?.Watermark(watermark);
    }

    public void OnProcessingTime(long nowMs)
    {
        try
        {
            FireProcessingTimers(nowMs);
            _output.Flush();
        }
        catch (Exception e) when (IsUserFailure(e))
        {
            throw Wrap(e);
        }
    }

    private void FireProcessingTimers(long upTo)
    {
        while (_processingTimers.TryPopDue(upTo, out var timer))
        {
            OnTimer(timer.Key.Key, timer.Key.Window, timer.Time, eventTime: false);
        }
    }

    private void OnTimer(TKey key, TimeWindow window, long time, bool eventTime)
    {
        if (_assigner.IsMerging && (!_sessions.TryGetValue(key, out var sessions) || !sessions.Contains(window)))
        {
            return;
        }

        _context.Set(key, window);
        _contents.Select(key, window);
        if (_contents.HasContents)
        {
            var result = eventTime ? _trigger.OnEventTime(time, window, _context) : _trigger.OnProcessingTime(time, window, _context);
            Apply(result, key, window);
        }

        if (eventTime == _assigner.IsEventTime && HasCleanup(window) && time == CleanupTime(window))
        {
            ClearAll(key, window);
        }
    }

    private static bool HasCleanup(TimeWindow window) => window.End != long.MaxValue;

    private long CleanupTime(TimeWindow window) =>
        window.MaxTimestamp > long.MaxValue - _allowedLatenessMs ? long.MaxValue : window.MaxTimestamp + _allowedLatenessMs;

    private void RegisterCleanupTimer(TKey key, TimeWindow window)
    {
        if (!HasCleanup(window))
        {
            return;
        }

        if (_assigner.IsEventTime)
        {
            _eventTimers.Register((key, window), CleanupTime(window));
        }
        else
        {
            RegisterProcessingTimer(key, window, CleanupTime(window));
        }
    }

    private void DeleteCleanupTimer(TKey key, TimeWindow window)
    {
        if (!HasCleanup(window))
        {
            return;
        }

        if (_assigner.IsEventTime)
        {
            _eventTimers.Delete((key, window), CleanupTime(window));
        }
        else
        {
            _processingTimers.Delete((key, window), CleanupTime(window));
        }
    }

    private void RegisterProcessingTimer(TKey key, TimeWindow window, long time)
    {
        if (_processingTimers.Register((key, window), time))
        {
            _processingTime.Schedule(time, this);
        }
    }

    private bool IsWindowLate(TimeWindow window) => _assigner.IsEventTime && CleanupTime(window) <= _watermark;
}
