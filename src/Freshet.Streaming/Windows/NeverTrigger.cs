namespace Freshet.Streaming.Windows;

/// <summary>Never fires: the default trigger of <see cref="GlobalWindows"/>, which only emit under a trigger set with <c>Trigger(...)</c>.</summary>
internal sealed class NeverTrigger<T> : Trigger<T, TimeWindow>
{
    public static readonly NeverTrigger<T> Instance = new();

    public override bool CanMerge => true;

    public override TriggerResult OnElement(T element, long timestamp, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    public override void OnMerge(TimeWindow window, TriggerContext context)
    {
    }

    public override void Clear(TimeWindow window, TriggerContext context)
    {
    }
}
