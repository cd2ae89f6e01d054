namespace Freshet.Streaming.Windows;

/// <summary>
/// One window per key for all time, <see cref="Window"/>, that never fires by itself: set a trigger with
/// <c>Trigger(...)</c> (e.g. <see cref="CountTrigger{T}"/>). Its state is never cleaned up, so purge it with the
/// trigger (<see cref="PurgingTrigger"/>) when it must not grow.
/// </summary>
public sealed class GlobalWindows : WindowAssigner
{
    private static readonly GlobalWindows Instance = new();

    private GlobalWindows()
    {
    }

    /// <summary>The single window: <c>[long.MinValue, long.MaxValue)</c>. Results carry event time <c>long.MaxValue − 1</c>.</summary>
    public static TimeWindow Window { get; } = new(long.MinValue, long.MaxValue);

    /// <summary>The assigner.</summary>
    public static GlobalWindows Create() => Instance;

    /// <summary>Not tied to event time: records need no timestamps and nothing is ever late.</summary>
    internal override bool IsEventTime => false;

    internal override void AssignWindows<T>(T element, long timestamp, long processingTimeMs, List<TimeWindow> windows) => windows.Add(Window);

    internal override Trigger<T, TimeWindow> DefaultTrigger<T>() => NeverTrigger<T>.Instance;
}
