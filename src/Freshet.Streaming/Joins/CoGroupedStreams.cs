using Freshet.Streaming.Exchange;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Joins;

/// <summary>The first step of a window coGroup: <see cref="Where{TKey}"/> names the first stream's key.</summary>
public sealed class CoGroupedStreams<T1, T2>
{
    private readonly DataStream<T1> _first;
    private readonly DataStream<T2> _second;

    internal CoGroupedStreams(DataStream<T1> first, DataStream<T2> second)
    {
        _first = first;
        _second = second;
    }

    /// <summary>The key of the first stream's records.</summary>
    public CoGroupWhere<TKey, T1, T2> Where<TKey>(Func<T1, TKey> keySelector)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        return new CoGroupWhere<TKey, T1, T2>(_first, _second, keySelector);
    }
}

/// <summary>A window coGroup with the first key set: <see cref="EqualTo"/> names the second stream's key.</summary>
public sealed class CoGroupWhere<TKey, T1, T2>
    where TKey : notnull
{
    private readonly DataStream<T1> _first;
    private readonly DataStream<T2> _second;
    private readonly Func<T1, TKey> _key1;

    internal CoGroupWhere(DataStream<T1> first, DataStream<T2> second, Func<T1, TKey> key1)
    {
        _first = first;
        _second = second;
        _key1 = key1;
    }

    /// <summary>The key of the second stream's records.</summary>
    public CoGroupEqualTo<TKey, T1, T2> EqualTo(Func<T2, TKey> keySelector)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        return new CoGroupEqualTo<TKey, T1, T2>(_first.Connect(_second).KeyBy(_key1, keySelector));
    }
}

/// <summary>A window coGroup with both keys set: <see cref="Window"/> chooses the windows.</summary>
public sealed class CoGroupEqualTo<TKey, T1, T2>
    where TKey : notnull
{
    private readonly KeyedConnectedStreams<TKey, T1, T2> _keyed;

    internal CoGroupEqualTo(KeyedConnectedStreams<TKey, T1, T2> keyed) => _keyed = keyed;

    /// <summary>Groups both sides' records per key into the windows of <paramref name="assigner"/>.</summary>
    public WindowedCoGroup<TKey, T1, T2> Window(WindowAssigner assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        return new WindowedCoGroup<TKey, T1, T2>(_keyed, assigner);
    }
}

/// <summary>
/// A window coGroup ready to run: <see cref="Apply{TOut}"/> is called once per key and window that has records on
/// at least one side, with both sides' records in arrival order (results carry event time <c>end − 1</c>).
/// </summary>
public sealed class WindowedCoGroup<TKey, T1, T2>
    where TKey : notnull
{
    private readonly KeyedConnectedStreams<TKey, T1, T2> _keyed;
    private readonly WindowAssigner _assigner;
    private TimeSpan _allowedLateness;

    internal WindowedCoGroup(KeyedConnectedStreams<TKey, T1, T2> keyed, WindowAssigner assigner)
    {
        _keyed = keyed;
        _assigner = assigner;
    }

    /// <summary>Keeps windows <paramref name="lateness"/> past their end; a late record fires the window again.</summary>
    public WindowedCoGroup<TKey, T1, T2> AllowedLateness(TimeSpan lateness)
    {
        _allowedLateness = lateness;
        return this;
    }

    /// <summary>Runs <paramref name="coGroup"/> per key and window (Flink's <c>CoGroupFunction</c>).</summary>
    public DataStream<TOut> Apply<TOut>(Action<IReadOnlyList<T1>, IReadOnlyList<T2>, Collector<TOut>> coGroup)
    {
        ArgumentNullException.ThrowIfNull(coGroup);
        return CoGroupWindows.Run(_keyed, _assigner, _allowedLateness, "Window CoGroup", coGroup);
    }
}

/// <summary>
/// How window joins and coGroups run, as in Flink: both inputs keyed into one two-input task of tagged records, a
/// window operator keeping every record of each key and window, and a window function that splits them by side.
/// </summary>
internal static class CoGroupWindows
{
    public static DataStream<TOut> Run<TKey, T1, T2, TOut>(
        KeyedConnectedStreams<TKey, T1, T2> keyed,
        WindowAssigner assigner,
        TimeSpan allowedLateness,
        string name,
        Action<IReadOnlyList<T1>, IReadOnlyList<T2>, Collector<TOut>> coGroup)
        where TKey : notnull
    {
        return keyed.AsKeyedStream()
            .Window(assigner)
            .AllowedLateness(allowedLateness)
            .Process(new SplitBySide<TKey, T1, T2, TOut>(coGroup))
            .WithName(name);
    }

    /// <summary>
    /// Splits a window's tagged records into the two sides and calls the coGroup function. New lists per window, so
    /// the user function may keep them and subtasks share nothing mutable.
    /// </summary>
    private sealed class SplitBySide<TKey, T1, T2, TOut>(Action<IReadOnlyList<T1>, IReadOnlyList<T2>, Collector<TOut>> coGroup)
        : ProcessWindowFunction<TaggedUnion<T1, T2>, TOut, TKey>
    {
        public override void Process(TKey key, ProcessWindowContext context, IReadOnlyList<TaggedUnion<T1, T2>> elements, Collector<TOut> output)
        {
            var lefts = new List<T1>();
            var rights = new List<T2>();
            foreach (var element in elements)
            {
                if (element.IsSecond)
                {
                    rights.Add(element.Second);
                }
                else
                {
                    lefts.Add(element.First);
                }
            }

            coGroup(lefts, rights, output);
        }
    }
}
