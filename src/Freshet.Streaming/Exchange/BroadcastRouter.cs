namespace Freshet.Streaming.Exchange;

/// <summary>Sends every record to every receiving subtask (<c>Broadcast</c>).</summary>
internal sealed class BroadcastRouter<T> : Router<T>
{
    public override void Route(ReadOnlySpan<T> values, Span<int> targets) => targets[..values.Length].Fill(AllTargets);
}
