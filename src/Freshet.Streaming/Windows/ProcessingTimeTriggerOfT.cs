namespace Freshet.Streaming.Windows;

/// <summary>
/// Fires a window when the job's clock passes its end (at <see cref="TimeWindow.MaxTimestamp"/>). The default
/// trigger of processing-time assigners. Supports merging. Stateless.
/// </summary>
/// <typeparam name="T">The records.</typeparam>
public sealed class ProcessingTimeTrigger<T> : Trigger<T, TimeWindow>
{
    internal static readonly ProcessingTimeTrigger<T> Instance = new();

    private ProcessingTimeTrigger()
    {
    }

    /// <inheritdoc/>
    public override bool CanMerge => true;

    /// <inheritdoc/>
    public override TriggerResult OnElement(T element, long timestamp, TimeWindow window, TriggerContext context)
    {
        context.RegisterProcessingTimeTimer(window.MaxTimestamp);
        return TriggerResult.Continue;
    }

    /// <inheritdoc/>
    public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    /// <inheritdoc/>
    public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Fire;

    /// <inheritdoc/>
    public override void OnMerge(TimeWindow window, TriggerContext context)
    {
        if (window.MaxTimestamp > context.CurrentProcessingTime)
        {
            context.RegisterProcessingTimeTimer(window.MaxTimestamp);
        }
    }

    /// <inheritdoc/>
    public override void Clear(TimeWindow window, TriggerContext context) => context.DeleteProcessingTimeTimer(window.MaxTimestamp);
}
