namespace Freshet.Streaming.Windows;

/// <summary>What a <see cref="Trigger{T, TWindow}"/> decides for a window (Flink's <c>TriggerResult</c>).</summary>
public enum TriggerResult
{
    /// <summary>Do nothing.</summary>
    Continue,

    /// <summary>Emit the window's result and keep its contents.</summary>
    Fire,

    /// <summary>Discard the window's contents without emitting (trigger state and timers stay).</summary>
    Purge,

    /// <summary>Emit the window's result, then discard its contents.</summary>
    FireAndPurge,
}
