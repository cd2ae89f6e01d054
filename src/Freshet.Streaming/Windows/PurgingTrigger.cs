namespace Freshet.Streaming.Windows;

/// <summary>Makes a trigger purge its window whenever it fires (Flink's <c>PurgingTrigger</c>).</summary>
public static class PurgingTrigger
{
    /// <summary>Wraps <paramref name="inner"/>: its <see cref="TriggerResult.Fire"/> becomes <see cref="TriggerResult.FireAndPurge"/>.</summary>
    public static Trigger<T, TWindow> Of<T, TWindow>(Trigger<T, TWindow> inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new PurgingTriggerWrapper<T, TWindow>(inner);
    }
}
