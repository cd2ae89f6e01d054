namespace Freshet.Streaming.Exchange;

/// <summary>Sends every record to one subtask: forward edges (subtask i to subtask i) that cross a task boundary.</summary>
internal sealed class FixedTargetRouter<T>(int target) : Router<T>
{
    public override void Route(ReadOnlySpan<T> values, Span<int> targets) => targets[..values.Length].Fill(target);
}
