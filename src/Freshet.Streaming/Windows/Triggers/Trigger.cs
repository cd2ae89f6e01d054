namespace Freshet.Streaming.Windows.Triggers;

/// <summary>
/// Decides when a window of one key fires and when its contents are purged (Flink's <c>Trigger</c>). The window
/// operator calls it for each record added to a window, for each timer the trigger registered, when windows merge
/// and when a window is cleared. A trigger instance is shared by every key, window and subtask: keep state in
/// <see cref="TriggerContext.GetState{TState}"/>, never in fields. Calls come from the subtask's task thread.
/// </summary>
/// <typeparam name="T">The records of the windowed stream.</typeparam>
public abstract class Trigger<T>
{
    /// <summary>A record was added to <paramref name="window"/>.</summary>
    /// <param name="timestamp">The record's event time (ms), <see cref="long.MinValue"/> when it has none.</param>
    public abstract TriggerResult OnElement(T element, long timestamp, TimeWindow window, TriggerContext context);

    /// <summary>An event-time timer this trigger registered for <paramref name="window"/> fired at <paramref name="time"/>.</summary>
    public abstract TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context);

    /// <summary>A processing-time timer this trigger registered for <paramref name="window"/> fired at <paramref name="time"/>.</summary>
    public abstract TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context);

    /// <summary>Whether the trigger supports merging windows (sessions).</summary>
    public virtual bool CanMerge => false;

    /// <summary>
    /// Windows were merged into <paramref name="window"/>: <see cref="TriggerContext.MergedWindows"/> names them (their
    /// state is still readable through <see cref="TriggerContext.GetStateOf{TState}"/>; it is cleared afterwards).
    /// Re-register timers for the merged window here.
    /// </summary>
    public virtual void OnMerge(TimeWindow window, TriggerContext context) =>
        throw new NotSupportedException($"{GetType().Name} cannot be used with merging windows.");

    /// <summary>The window is being removed: delete its timers and state.</summary>
    public abstract void Clear(TimeWindow window, TriggerContext context);
}

/// <summary>What a trigger decides (Flink's <c>TriggerResult</c>).</summary>
public enum TriggerResult
{
    /// <summary>Do nothing.</summary>
    Continue,

    /// <summary>Emit the window's result and keep its contents.</summary>
    Fire,

    /// <summary>Discard the window's contents without emitting.</summary>
    Purge,

    /// <summary>Emit the window's result, then discard its contents.</summary>
    FireAndPurge,
}

/// <summary>What a <see cref="Trigger{T}"/> sees: time, timers and per-window state of the current key and window.</summary>
public abstract class TriggerContext
{
    /// <summary>The operator's current watermark (event time, ms).</summary>
    public abstract long CurrentWatermark { get; }

    /// <summary>The job clock's current time (Unix ms).</summary>
    public abstract long CurrentProcessingTime { get; }

    /// <summary>During <see cref="Trigger{T}.OnMerge"/>: the windows merged into the new one; empty otherwise.</summary>
    public abstract IReadOnlyList<TimeWindow> MergedWindows { get; }

    /// <summary>Calls <see cref="Trigger{T}.OnEventTime"/> for the current key and window when the watermark reaches <paramref name="time"/>.</summary>
    public abstract void RegisterEventTimeTimer(long time);

    /// <summary>Calls <see cref="Trigger{T}.OnProcessingTime"/> for the current key and window when the clock reaches <paramref name="time"/>.</summary>
    public abstract void RegisterProcessingTimeTimer(long time);

    /// <summary>Deletes an event-time timer of the current key and window.</summary>
    public abstract void DeleteEventTimeTimer(long time);

    /// <summary>Deletes a processing-time timer of the current key and window.</summary>
    public abstract void DeleteProcessingTimeTimer(long time);

    /// <summary>The trigger's state named <paramref name="name"/> for the current key and window (<paramref name="defaultValue"/> until set).</summary>
    public abstract TriggerState<TState> GetState<TState>(string name, TState defaultValue);

    /// <summary>The trigger's state named <paramref name="name"/> for <paramref name="window"/> of the current key (during merges).</summary>
    public abstract TriggerState<TState> GetStateOf<TState>(string name, TState defaultValue, TimeWindow window);
}

/// <summary>One value of trigger state, scoped to a key and window.</summary>
public abstract class TriggerState<TState>
{
    /// <summary>The value, or the default given when the state was obtained.</summary>
    public abstract TState Value { get; }

    /// <summary>Sets the value.</summary>
    public abstract void Update(TState value);

    /// <summary>Removes the value.</summary>
    public abstract void Clear();
}
