namespace Freshet.Streaming.Windows;

/// <summary>
/// Decides when a window emits its result and when its contents are discarded (Flink's <c>Trigger</c>). The window
/// operator calls it per record added to a window (<see cref="OnElement"/>), when a timer it registered through the
/// <see cref="TriggerContext"/> is due, when windows merge (<see cref="OnMerge"/>) and when a window is removed
/// (<see cref="Clear"/>). Timers and state are scoped to the current key and window. One instance serves every key
/// and window of an operator subtask: keep per-window data in the context's state, not in fields. Called on the
/// task thread only.
/// </summary>
/// <typeparam name="T">The records.</typeparam>
/// <typeparam name="TWindow">The window type.</typeparam>
public abstract class Trigger<T, TWindow>
{
    /// <summary>Called for each record added to <paramref name="window"/>; <paramref name="timestamp"/> is its event time (ms).</summary>
    public abstract TriggerResult OnElement(T element, long timestamp, TWindow window, TriggerContext context);

    /// <summary>Called when an event-time timer registered for <paramref name="window"/> at <paramref name="time"/> (ms) is reached by the watermark.</summary>
    public abstract TriggerResult OnEventTime(long time, TWindow window, TriggerContext context);

    /// <summary>Called when a processing-time timer registered for <paramref name="window"/> at <paramref name="time"/> (Unix ms) is due.</summary>
    public abstract TriggerResult OnProcessingTime(long time, TWindow window, TriggerContext context);

    /// <summary>Whether this trigger supports merging windows (session windows). Merging assigners reject a trigger that does not.</summary>
    public virtual bool CanMerge => false;

    /// <summary>
    /// Called when windows merged into <paramref name="window"/>: re-register timers for it and combine state, reading
    /// the merged windows' state with <see cref="TriggerContext.MergedStates"/>. The merged windows are cleared
    /// afterwards. Only called when <see cref="CanMerge"/> is true.
    /// </summary>
    public virtual void OnMerge(TWindow window, TriggerContext context) =>
        throw new NotSupportedException($"{GetType().Name} does not support merging windows.");

    /// <summary>Called when <paramref name="window"/> is removed: delete the timers and state this trigger keeps for it.</summary>
    public abstract void Clear(TWindow window, TriggerContext context);
}
