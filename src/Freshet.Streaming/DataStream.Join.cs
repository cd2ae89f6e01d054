using Freshet.Streaming.Joins;

namespace Freshet.Streaming;

public sealed partial class DataStream<T>
{
    /// <summary>
    /// Starts a window join with <paramref name="other"/> (Flink's <c>join</c>):
    /// <c>a.Join(b).Where(ka).EqualTo(kb).Window(assigner).Apply((x, y) =&gt; ...)</c> pairs every record of this
    /// stream with every record of <paramref name="other"/> that has an equal key and falls in the same window (an
    /// inner join per window).
    /// </summary>
    public JoinedStreams<T, T2> Join<T2>(DataStream<T2> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        RequireSameEnvironment(other.Environment);
        return new JoinedStreams<T, T2>(this, other);
    }

    /// <summary>
    /// Starts a window coGroup with <paramref name="other"/> (Flink's <c>coGroup</c>): per key and window, one call
    /// with all records of both sides, for every key that has records on at least one side.
    /// </summary>
    public CoGroupedStreams<T, T2> CoGroup<T2>(DataStream<T2> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        RequireSameEnvironment(other.Environment);
        return new CoGroupedStreams<T, T2>(this, other);
    }
}
