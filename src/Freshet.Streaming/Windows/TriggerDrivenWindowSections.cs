namespace Freshet.Streaming.Windows;

/// <summary>
/// The checkpoint sections of the window operators besides their contents' keyed state: the general operator's
/// bookkeeping (<see cref="Sessions"/>, <see cref="TriggerState"/>, <see cref="EventTimers"/>,
/// <see cref="ProcessingTimers"/>) and the aligned operator's panes (<see cref="AlignedPanes"/>). Each operator knows the
/// other's, so that a restore of windows written on another state backend — the heap keeps tumbling and sliding
/// windows as aligned panes, other backends through the general operator — is refused naming the backends rather than
/// as a change of operator.
/// </summary>
internal static class TriggerDrivenWindowSections
{
    public const string Sessions = "window-sessions";
    public const string TriggerState = "window-trigger-state";
    public const string EventTimers = "window-timers:event";
    public const string ProcessingTimers = "window-timers:processing";

    /// <summary>The aligned operator's only section: (window end, fired, accumulator) per key.</summary>
    public const string AlignedPanes = "windows";

    /// <summary>The general operator's own sections.</summary>
    public static IReadOnlyList<string> Own { get; } = [Sessions, TriggerState, EventTimers, ProcessingTimers];
}
