namespace Freshet.Streaming.Windows;

/// <summary>
/// Fires a window each time it has received <see cref="MaxCount"/> more records (Flink's <c>CountTrigger</c>); it
/// never purges (wrap it in <see cref="PurgingTrigger.Of{T, TWindow}"/> for that). The count is trigger state of the
/// key and window; merged windows add their counts. Supports merging.
/// </summary>
/// <typeparam name="T">The records.</typeparam>
public sealed class CountTrigger<T> : Trigger<T, TimeWindow>
{
    private const string CountState = "count";

    internal CountTrigger(long maxCount)
    {
        MaxCount = maxCount;
    }

    /// <summary>Records per firing.</summary>
    public long MaxCount { get; }

    /// <inheritdoc/>
    public override bool CanMerge => true;

    /// <inheritdoc/>
    public override TriggerResult OnElement(T element, long timestamp, TimeWindow window, TriggerContext context)
    {
        var count = context.GetState(CountState) + 1;
        if (count >= MaxCount)
        {
            context.ClearState(CountState);
            return TriggerResult.Fire;
        }

        context.SetState(CountState, count);
        return TriggerResult.Continue;
    }

    /// <inheritdoc/>
    public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    /// <inheritdoc/>
    public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    /// <inheritdoc/>
    public override void OnMerge(TimeWindow window, TriggerContext context)
    {
        long sum = 0;
        foreach (var count in context.MergedStates(CountState))
        {
            sum += count;
        }

        if (sum > 0)
        {
            context.SetState(CountState, sum);
        }
    }

    /// <inheritdoc/>
    public override void Clear(TimeWindow window, TriggerContext context) => context.ClearState(CountState);
}
