using Freshet.Streaming.Keys;

namespace Freshet.Streaming.Exchange;

/// <summary>
/// Routes by key (<c>KeyBy</c>): key → stable hash → key group → owning subtask, with the key-group-to-subtask
/// table computed once.
/// </summary>
internal sealed class KeyGroupRouter<T, TKey> : Router<T>
{
    private readonly Func<T, TKey> _keySelector;
    private readonly int _maxParallelism;
    private readonly int[] _subtaskOfKeyGroup;

    public KeyGroupRouter(Func<T, TKey> keySelector, int maxParallelism, int parallelism)
    {
        _keySelector = keySelector;
        _maxParallelism = maxParallelism;
        _subtaskOfKeyGroup = new int[maxParallelism];
        for (var g = 0; g < maxParallelism; g++)
        {
            _subtaskOfKeyGroup[g] = KeyGroups.SubtaskOf(g, maxParallelism, parallelism);
        }
    }

    public override void Route(ReadOnlySpan<T> values, Span<int> targets)
    {
        var table = _subtaskOfKeyGroup;
        for (var i = 0; i < values.Length; i++)
        {
            targets[i] = table[KeyGroups.Of(KeyHash<TKey>.Of(_keySelector(values[i])), _maxParallelism)];
        }
    }
}
