namespace Freshet.Streaming.Windows;

/// <summary>
/// The state of one (key, window) in <see cref="TriggeredWindowOperator{TKey, TIn, TAcc, TOut}"/>: the accumulator
/// (absent after a purge or before the first record) and the trigger's named values. Task thread only.
/// </summary>
internal sealed class WindowContents<TAcc>
{
    public TAcc Accumulator = default!;

    public bool HasAccumulator;

    /// <summary>Trigger state by name; null until a trigger sets a value.</summary>
    public Dictionary<string, long>? TriggerState;
}
