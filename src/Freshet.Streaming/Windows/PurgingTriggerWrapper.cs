namespace Freshet.Streaming.Windows;

/// <summary>Delegates to an inner trigger and turns each fire into fire-and-purge. Stateless itself.</summary>
internal sealed class PurgingTriggerWrapper<T, TWindow> : Trigger<T, TWindow>
{
    private readonly Trigger<T, TWindow> _inner;

    public PurgingTriggerWrapper(Trigger<T, TWindow> inner)
    {
        _inner = inner;
    }

    public override bool CanMerge => _inner.CanMerge;

    public override TriggerResult OnElement(T element, long timestamp, TWindow window, TriggerContext context) =>
        Purging(_inner.OnElement(element, timestamp, window, context));

    public override TriggerResult OnEventTime(long time, TWindow window, TriggerContext context) =>
        Purging(_inner.OnEventTime(time, window, context));

    public override TriggerResult OnProcessingTime(long time, TWindow window, TriggerContext context) =>
        Purging(_inner.OnProcessingTime(time, window, context));

    public override void OnMerge(TWindow window, TriggerContext context) => _inner.OnMerge(window, context);

    public override void Clear(TWindow window, TriggerContext context) => _inner.Clear(window, context);

    private static TriggerResult Purging(TriggerResult result) =>
        result == TriggerResult.Fire ? TriggerResult.FireAndPurge : result;
}
