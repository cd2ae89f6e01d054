namespace Freshet.Streaming.Windows;

/// <summary>
/// What a <see cref="Trigger{T, TWindow}"/> can do for the current key and window: read time, register and delete
/// timers, and keep named 64-bit state values (absent values read as 0). Valid only during the trigger call it is
/// passed to; task thread only.
/// </summary>
public abstract class TriggerContext
{
    /// <summary>The operator's current event-time watermark (ms).</summary>
    public abstract long CurrentWatermark { get; }

    /// <summary>The current processing time (Unix ms) from the job's clock.</summary>
    public abstract long CurrentProcessingTime { get; }

    /// <summary>Calls <see cref="Trigger{T, TWindow}.OnEventTime"/> when the watermark reaches <paramref name="time"/>. Registering the same time twice has no effect.</summary>
    public abstract void RegisterEventTimeTimer(long time);

    /// <summary>Calls <see cref="Trigger{T, TWindow}.OnProcessingTime"/> when the clock reaches <paramref name="time"/>. Registering the same time twice has no effect.</summary>
    public abstract void RegisterProcessingTimeTimer(long time);

    /// <summary>Deletes an event-time timer of the current key and window (no effect if none).</summary>
    public abstract void DeleteEventTimeTimer(long time);

    /// <summary>Deletes a processing-time timer of the current key and window (no effect if none).</summary>
    public abstract void DeleteProcessingTimeTimer(long time);

    /// <summary>The state value <paramref name="name"/> of the current key and window; 0 when unset.</summary>
    public abstract long GetState(string name);

    /// <summary>Sets the state value <paramref name="name"/> of the current key and window.</summary>
    public abstract void SetState(string name, long value);

    /// <summary>Removes the state value <paramref name="name"/> of the current key and window.</summary>
    public abstract void ClearState(string name);

    /// <summary>
    /// During <see cref="Trigger{T, TWindow}.OnMerge"/>: the values of <paramref name="name"/> set in the windows being
    /// merged (windows without it are left out). Empty outside <c>OnMerge</c>.
    /// </summary>
    public abstract IReadOnlyList<long> MergedStates(string name);
}
