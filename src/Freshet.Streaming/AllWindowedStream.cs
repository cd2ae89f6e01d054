using Freshet.Streaming.Functions;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Runtime;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming;

/// <summary>
/// A non-keyed stream grouped into windows (Flink's <c>AllWindowedStream</c>), made by
/// <see cref="DataStream{T}.WindowAll"/>. The window operator runs at parallelism 1: all records of the stream are
/// windowed together. Assigners, triggers and lateness behave as in <see cref="WindowedStream{TKey, T}"/>.
/// </summary>
public sealed class AllWindowedStream<T>
{
    private readonly DataStream<T> _input;
    private readonly WindowAssigner _assigner;
    private long _allowedLatenessMs;
    private OutputTag<T>? _lateTag;
    private Trigger<T, TimeWindow>? _trigger;

    internal AllWindowedStream(DataStream<T> input, WindowAssigner assigner)
    {
        _input = input;
        _assigner = assigner;
    }

    /// <summary>Keeps each window's state <paramref name="lateness"/> past its end (event time); see <see cref="WindowedStream{TKey, T}.AllowedLateness"/>.</summary>
    public AllWindowedStream<T> AllowedLateness(TimeSpan lateness)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lateness, TimeSpan.Zero);
        _allowedLatenessMs = (long)lateness.TotalMilliseconds;
        return this;
    }

    /// <summary>Sends late records to side output <paramref name="tag"/> instead of dropping them.</summary>
    public AllWindowedStream<T> SideOutputLateData(OutputTag<T> tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        _lateTag = tag;
        return this;
    }

    /// <summary>Replaces the assigner's default trigger; see <see cref="WindowedStream{TKey, T}.Trigger"/>.</summary>
    public AllWindowedStream<T> Trigger(Trigger<T, TimeWindow> trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (_assigner.IsMerging && !trigger.CanMerge)
        {
            throw new ArgumentException($"{trigger.GetType().Name} cannot merge windows, so it cannot be used with merging (session) windows.", nameof(trigger));
        }

        _trigger = trigger;
        return this;
    }

    /// <summary>Incremental aggregation: one accumulator per window; emits <c>GetResult</c> when the window fires.</summary>
    public DataStream<TOut> Aggregate<TAcc, TOut>(IAggregateFunction<T, TAcc, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Build<TAcc, TOut>("WindowAll(Aggregate)", function.CreateAccumulator, function.Add, function.Merge, _ => new AggregateResultEmitter<byte, T, TAcc, TOut>(function));
    }

    /// <summary>Reduces each window's records to one (incrementally) and emits it when the window fires.</summary>
    public DataStream<T> Reduce(Func<T, T, T> reducer)
    {
        ArgumentNullException.ThrowIfNull(reducer);
        return Aggregate(new ReduceAggregate<T>(reducer));
    }

    /// <summary>Keeps every record of each window and hands them to <paramref name="windowFunction"/> when the window fires.</summary>
    public DataStream<TOut> Process<TOut>(ProcessAllWindowFunction<T, TOut> windowFunction)
    {
        ArgumentNullException.ThrowIfNull(windowFunction);
        var list = new ListAggregate<T>();
        var adapter = new ProcessAllWindowAdapter<T, TOut>(windowFunction);
        return Build<List<T>, TOut>("WindowAll(Process)", list.CreateAccumulator, list.Add, list.Merge, processingTime => new ProcessWindowEmitter<byte, List<T>, T, TOut>(adapter, static (acc, _) => acc, processingTime));
    }

    private DataStream<TOut> Build<TAcc, TOut>(string name, Func<TAcc> create, Func<T, TAcc, TAcc> add, Func<TAcc, TAcc, TAcc> merge, Func<ProcessingTimeService, WindowResultEmitter<byte, TAcc, TOut>> emitter)
    {
        var factory = WindowOperators.Factory<byte, T, TAcc, TOut>(_assigner, _trigger, _allowedLatenessMs, _lateTag, static _ => 0, create, add, merge, emitter);
        var env = _input.Environment;
        // Parallelism 1 with default partitioning: chained after a parallelism-1 input, else every input subtask sends to the one window subtask.
        var node = new OneInputTransformation<T, TOut>(env.NextId(), name, 1, _input.Node, InputPartitioning.Default, factory);
        return env.Add(node);
    }
}
