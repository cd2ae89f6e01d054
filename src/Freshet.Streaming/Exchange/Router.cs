namespace Freshet.Streaming.Exchange;

/// <summary>
/// Chooses the receiving subtask of each record of a batch at an exchange. One virtual call per batch; the
/// per-record loop is inside the concrete router. Not thread-safe (one instance per sending subtask).
/// </summary>
internal abstract class Router<T>
{
    /// <summary>The target meaning "every receiver" (broadcast).</summary>
    public const int AllTargets = -1;

    /// <summary>Writes the target subtask of <c>values[i]</c> into <c>targets[i]</c>.</summary>
    public abstract void Route(ReadOnlySpan<T> values, Span<int> targets);
}
