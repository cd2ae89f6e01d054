using Freshet.Streaming.Functions;
using Freshet.Streaming.Windows;
using Freshet.Streaming.Windows.Triggers;

namespace Freshet.Streaming;

/// <summary>
/// A stream grouped into windows without a key (Flink's <c>AllWindowedStream</c>): every record of a window, from every
/// subtask, meets in one subtask, so the window operator runs at parallelism 1. Same assigners, triggers, lateness and
/// functions as <see cref="WindowedStream{TKey, T}"/>; window functions see the key 0.
/// </summary>
public sealed class AllWindowedStream<T>
{
    private readonly WindowedStream<byte, T> _windowed;

    internal AllWindowedStream(DataStream<T> input, WindowAssigner assigner)
    {
        _windowed = input.KeyBy(static _ => (byte)0).Window(assigner);
    }

    /// <summary>See <see cref="WindowedStream{TKey, T}.Trigger"/>.</summary>
    public AllWindowedStream<T> Trigger(Trigger<T> trigger)
    {
        _windowed.Trigger(trigger);
        return this;
    }

    /// <summary>See <see cref="WindowedStream{TKey, T}.AllowedLateness"/>.</summary>
    public AllWindowedStream<T> AllowedLateness(TimeSpan lateness)
    {
        _windowed.AllowedLateness(lateness);
        return this;
    }

    /// <summary>See <see cref="WindowedStream{TKey, T}.SideOutputLateData"/>.</summary>
    public AllWindowedStream<T> SideOutputLateData(OutputTag<T> tag)
    {
        _windowed.SideOutputLateData(tag);
        return this;
    }

    /// <summary>Incremental aggregation per window; emits <c>GetResult</c> when the window fires.</summary>
    public DataStream<TOut> Aggregate<TAcc, TOut>(IAggregateFunction<T, TAcc, TOut> function) => Single(_windowed.Aggregate(function));

    /// <summary>Incremental aggregation whose result goes, with the window, to <paramref name="windowFunction"/>.</summary>
    public DataStream<TOut> Aggregate<TAcc, TAggregate, TOut>(IAggregateFunction<T, TAcc, TAggregate> function, ProcessWindowFunction<TAggregate, TOut, byte> windowFunction) =>
        Single(_windowed.Aggregate(function, windowFunction));

    /// <summary>Every record of the window, with its bounds, to <paramref name="windowFunction"/>.</summary>
    public DataStream<TOut> Process<TOut>(ProcessWindowFunction<T, TOut, byte> windowFunction) => Single(_windowed.Process(windowFunction));

    /// <summary>Reduces each window's records to one.</summary>
    public DataStream<T> Reduce(Func<T, T, T> reducer) => Single(_windowed.Reduce(reducer));

    private static DataStream<TOut> Single<TOut>(DataStream<TOut> windowed) => windowed.SetParallelism(1).WithName(windowed.Name.Replace("Window", "WindowAll", StringComparison.Ordinal));
}
