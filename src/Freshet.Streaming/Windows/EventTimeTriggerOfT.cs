namespace Freshet.Streaming.Windows;

/// <summary>
/// Fires a window once the watermark passes its end (at <see cref="TimeWindow.MaxTimestamp"/>), and at once for a
/// record added to a window already past it (late but within allowed lateness). The default trigger of event-time
/// assigners. Supports merging. Stateless.
/// </summary>
/// <typeparam name="T">The records.</typeparam>
public sealed class EventTimeTrigger<T> : Trigger<T, TimeWindow>
{
    internal static readonly EventTimeTrigger<T> Instance = new();

    private EventTimeTrigger()
    {
    }

    /// <inheritdoc/>
    public override bool CanMerge => true;

    /// <inheritdoc/>
    public override TriggerResult OnElement(T element, long timestamp, TimeWindow window, TriggerContext context)
    {
        if (window.MaxTimestamp <= context.CurrentWatermark)
        {
            return TriggerResult.Fire;
        }

        context.RegisterEventTimeTimer(window.MaxTimestamp);
        return TriggerResult.Continue;
    }

    /// <inheritdoc/>
    public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) =>
        time == window.MaxTimestamp ? TriggerResult.Fire : TriggerResult.Continue;

    /// <inheritdoc/>
    public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    /// <inheritdoc/>
    public override void OnMerge(TimeWindow window, TriggerContext context)
    {
        // A merged window already past the watermark fires with its next record (OnElement), as in Flink.
        if (window.MaxTimestamp > context.CurrentWatermark)
        {
            context.RegisterEventTimeTimer(window.MaxTimestamp);
        }
    }

    /// <inheritdoc/>
    public override void Clear(TimeWindow window, TriggerContext context) => context.DeleteEventTimeTimer(window.MaxTimestamp);
}
