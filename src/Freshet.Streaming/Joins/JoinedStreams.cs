using Freshet.Streaming.Functions;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Joins;

/// <summary>The first step of a window join: <see cref="Where{TKey}"/> names the first stream's key.</summary>
public sealed class JoinedStreams<T1, T2>
{
    private readonly DataStream<T1> _first;
    private readonly DataStream<T2> _second;

    internal JoinedStreams(DataStream<T1> first, DataStream<T2> second)
    {
        _first = first;
        _second = second;
    }

    /// <summary>The key of the first stream's records.</summary>
    public JoinWhere<TKey, T1, T2> Where<TKey>(Func<T1, TKey> keySelector)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        return new JoinWhere<TKey, T1, T2>(_first, _second, keySelector);
    }
}

/// <summary>A window join with the first key set: <see cref="EqualTo"/> names the second stream's key.</summary>
public sealed class JoinWhere<TKey, T1, T2>
    where TKey : notnull
{
    private readonly DataStream<T1> _first;
    private readonly DataStream<T2> _second;
    private readonly Func<T1, TKey> _key1;

    internal JoinWhere(DataStream<T1> first, DataStream<T2> second, Func<T1, TKey> key1)
    {
        _first = first;
        _second = second;
        _key1 = key1;
    }

    /// <summary>The key of the second stream's records; records join when the keys are equal.</summary>
    public JoinEqualTo<TKey, T1, T2> EqualTo(Func<T2, TKey> keySelector)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        return new JoinEqualTo<TKey, T1, T2>(_first.Connect(_second).KeyBy(_key1, keySelector));
    }
}

/// <summary>A window join with both keys set: <see cref="Window"/> chooses the windows.</summary>
public sealed class JoinEqualTo<TKey, T1, T2>
    where TKey : notnull
{
    private readonly KeyedConnectedStreams<TKey, T1, T2> _keyed;

    internal JoinEqualTo(KeyedConnectedStreams<TKey, T1, T2> keyed) => _keyed = keyed;

    /// <summary>Joins records of the same key that fall in the same window of <paramref name="assigner"/>.</summary>
    public WindowedJoin<TKey, T1, T2> Window(WindowAssigner assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        return new WindowedJoin<TKey, T1, T2>(_keyed, assigner);
    }
}

/// <summary>
/// A window join ready to run: <see cref="Apply{TOut}(Func{T1, T2, TOut})"/> is called for every pair of records
/// with equal keys in the same window, when the window fires (results carry event time <c>end − 1</c>).
/// </summary>
public sealed class WindowedJoin<TKey, T1, T2>
    where TKey : notnull
{
    private readonly KeyedConnectedStreams<TKey, T1, T2> _keyed;
    private readonly WindowAssigner _assigner;
    private TimeSpan _allowedLateness;

    internal WindowedJoin(KeyedConnectedStreams<TKey, T1, T2> keyed, WindowAssigner assigner)
    {
        _keyed = keyed;
        _assigner = assigner;
    }

    /// <summary>Keeps windows <paramref name="lateness"/> past their end; a late record fires the window again.</summary>
    public WindowedJoin<TKey, T1, T2> AllowedLateness(TimeSpan lateness)
    {
        _allowedLateness = lateness;
        return this;
    }

    /// <summary>One result per joined pair (Flink's <c>JoinFunction</c>).</summary>
    public DataStream<TOut> Apply<TOut>(Func<T1, T2, TOut> join)
    {
        ArgumentNullException.ThrowIfNull(join);
        return Apply<TOut>((left, right, output) => output.Collect(join(left, right)));
    }

    /// <summary>Zero or more results per joined pair (Flink's <c>FlatJoinFunction</c>).</summary>
    public DataStream<TOut> Apply<TOut>(Action<T1, T2, Collector<TOut>> join)
    {
        ArgumentNullException.ThrowIfNull(join);
        return CoGroupWindows.Run<TKey, T1, T2, TOut>(_keyed, _assigner, _allowedLateness, "Window Join", (lefts, rights, output) =>
        {
            foreach (var left in lefts)
            {
                foreach (var right in rights)
                {
                    join(left, right, output);
                }
            }
        });
    }
}
