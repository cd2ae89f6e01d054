namespace Freshet.Streaming.Windows;

/// <summary>
/// The state of one window end across all keys of a subtask: the accumulator of each key whose records fell in
/// <c>[End − size, End)</c>. Panes are pooled: a purged pane is cleared (keeping its capacity) and reused, so the
/// steady state of a window operator allocates nothing.
/// </summary>
internal sealed class WindowPane<TKey, TAcc>
    where TKey : notnull
{
    public readonly Dictionary<TKey, TAcc> Entries = [];

    /// <summary>The window's exclusive end (ms).</summary>
    public long End;

    /// <summary>Whether the watermark has passed <c>End − 1</c> (the pane fired once; later records fire per key).</summary>
    public bool Fired;
}
