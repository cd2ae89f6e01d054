using Freshet.Streaming.Joins;

namespace Freshet.Streaming;

public sealed partial class KeyedStream<TKey, T>
{
    /// <summary>
    /// Starts an interval join with <paramref name="other"/> (Flink's <c>intervalJoin</c>): pairs each record
    /// <c>a</c> of this stream with every record <c>b</c> of <paramref name="other"/> with an equal key and
    /// <c>b.EventTime ∈ [a.EventTime + lower, a.EventTime + upper]</c>, set by
    /// <see cref="IntervalJoin{TKey, T1, T2}.Between"/>. Needs event time on both streams.
    /// </summary>
    public IntervalJoin<TKey, T, T2> IntervalJoin<T2>(KeyedStream<TKey, T2> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Input.RequireSameEnvironment(other.Input.Environment);
        return new IntervalJoin<TKey, T, T2>(this, other);
    }
}
