using Freshet.Streaming.Runtime;

namespace Freshet.Streaming.Windows;

/// <summary>
/// The <see cref="TriggerContext"/> of one window operator subtask, pointed at the current key, window and contents
/// before each trigger call and reused. Processing-time timers are also scheduled with the task's
/// <see cref="ProcessingTimeService"/>, which calls <c>callback</c> when they are due. Task thread only.
/// </summary>
internal sealed class WindowTriggerContext<TKey, TAcc> : TriggerContext
    where TKey : notnull
{
    private readonly WindowTimerQueue<TKey> _eventTimers;
    private readonly WindowTimerQueue<TKey> _processingTimers;
    private readonly ProcessingTimeService _processingTime;
    private readonly IProcessingTimeCallback _callback;
    private readonly List<long> _mergedValues = [];

    public WindowTriggerContext(WindowTimerQueue<TKey> eventTimers, WindowTimerQueue<TKey> processingTimers, ProcessingTimeService processingTime, IProcessingTimeCallback callback)
    {
        _eventTimers = eventTimers;
        _processingTimers = processingTimers;
        _processingTime = processingTime;
        _callback = callback;
    }

    public TKey Key { get; set; } = default!;

    public TimeWindow Window { get; set; }

    public WindowContents<TAcc> Contents { get; set; } = null!;

    public long Watermark { get; set; } = long.MinValue;

    /// <summary>The contents of the windows being merged, during <c>OnMerge</c> only.</summary>
    public List<WindowContents<TAcc>> MergedContents { get; } = [];

    public override long CurrentWatermark => Watermark;

    public override long CurrentProcessingTime => _processingTime.Now;

    public override void RegisterEventTimeTimer(long time) => _eventTimers.Register(Key, Window, time);

    public override void RegisterProcessingTimeTimer(long time)
    {
        if (_processingTimers.Register(Key, Window, time))
        {
            _processingTime.Schedule(time, _callback);
        }
    }

    public override void DeleteEventTimeTimer(long time) => _eventTimers.Delete(Key, Window, time);

    public override void DeleteProcessingTimeTimer(long time) => _processingTimers.Delete(Key, Window, time);

    public override long GetState(string name) =>
        Contents.TriggerState is { } state && state.TryGetValue(name, out var value) ? value : 0;

    public override void SetState(string name, long value)
    {
        ArgumentNullException.ThrowIfNull(name);
        (Contents.TriggerState ??= [])[name] = value;
    }

    public override void ClearState(string name) => Contents.TriggerState?.Remove(name);

    public override IReadOnlyList<long> MergedStates(string name)
    {
        _mergedValues.Clear();
        foreach (var merged in MergedContents)
        {
            if (merged.TriggerState is { } state && state.TryGetValue(name, out var value))
            {
                _mergedValues.Add(value);
            }
        }

        return _mergedValues;
    }
}
