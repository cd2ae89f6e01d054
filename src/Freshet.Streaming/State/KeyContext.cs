namespace Freshet.Streaming.State;

/// <summary>The key of the record or timer a keyed operator is processing; keyed state and timers read it. Task thread only.</summary>
internal sealed class KeyContext<TKey>
{
    public TKey Current { get; set; } = default!;

    /// <summary>False outside a keyed call (state access then throws).</summary>
    public bool IsSet { get; set; }
}
