namespace Freshet.Streaming.Exchange;

/// <summary>Routes round robin, record by record, starting at a different subtask for each sender.</summary>
internal sealed class RebalanceRouter<T> : Router<T>
{
    private readonly int _targets;
    private int _next;

    public RebalanceRouter(int targets, int senderIndex)
    {
        _targets = targets;
        _next = senderIndex % targets;
    }

    public override void Route(ReadOnlySpan<T> values, Span<int> targets)
    {
        var next = _next;
        for (var i = 0; i < values.Length; i++)
        {
            targets[i] = next;
            next = next + 1 == _targets ? 0 : next + 1;
        }

        _next = next;
    }
}
