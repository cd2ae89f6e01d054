using Freshet.Streaming.Functions;
using Freshet.Streaming.Windows;
using Freshet.Streaming.Windows.Triggers;

namespace Freshet.Streaming;

/// <summary>
/// A keyed stream grouped into windows (Flink's <c>WindowedStream</c>), finished by a window function. Windows are
/// <c>[start, end)</c>; with the default trigger, event-time windows fire when the watermark reaches <c>end − 1</c>
/// and processing-time windows when the clock does. Results carry event time <c>end − 1</c>.
/// </summary>
public sealed class WindowedStream<TKey, T>
    where TKey : notnull
{
    private readonly KeyedStream<TKey, T> _input;
    private readonly WindowAssigner _assigner;
    private long _allowedLatenessMs;
    private OutputTag<T>? _lateTag;
    private Trigger<T>? _trigger;

    internal WindowedStream(KeyedStream<TKey, T> input, WindowAssigner assigner)
    {
        _input = input;
        _assigner = assigner;
    }

    /// <summary>
    /// Keeps each window's state <paramref name="lateness"/> past its end: a record arriving in that time updates the
    /// window and fires it again for its key. Later records are late. Default zero.
    /// </summary>
    public WindowedStream<TKey, T> AllowedLateness(TimeSpan lateness)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lateness, TimeSpan.Zero);
        _allowedLatenessMs = (long)lateness.TotalMilliseconds;
        return this;
    }

    /// <summary>
    /// Replaces the assigner's default trigger (event time: fire when the watermark passes the window; processing
    /// time: when the clock does; global windows: never), e.g. <c>CountTrigger.Of&lt;T&gt;(100)</c> or
    /// <c>PurgingTrigger.Of(...)</c>.
    /// </summary>
    public WindowedStream<TKey, T> Trigger(Trigger<T> trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (_assigner.IsMerging && !trigger.CanMerge)
        {
            throw new ArgumentException($"The trigger {trigger.GetType().Name} cannot be used with merging (session) windows.", nameof(trigger));
        }

        _trigger = trigger;
        return this;
    }

    /// <summary>Sends late records (too late for every window they belong to) to side output <paramref name="tag"/> instead of dropping them.</summary>
    public WindowedStream<TKey, T> SideOutputLateData(OutputTag<T> tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        _lateTag = tag;
        return this;
    }

    /// <summary>Incremental aggregation: one accumulator per key and window; emits <c>GetResult</c> when the window fires.</summary>
    public DataStream<TOut> Aggregate<TAcc, TOut>(IAggregateFunction<T, TAcc, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Build<TAcc, TOut>("Window(Aggregate)", function.CreateAccumulator, function.Add, function.Merge, _ => new AggregateResultEmitter<TKey, T, TAcc, TOut>(function));
    }

    /// <summary>
    /// Incremental aggregation whose result is handed, with the key and window, to <paramref name="windowFunction"/>
    /// (as a one-element list) when the window fires.
    /// </summary>
    public DataStream<TOut> Aggregate<TAcc, TAggregate, TOut>(IAggregateFunction<T, TAcc, TAggregate> function, ProcessWindowFunction<TAggregate, TOut, TKey> windowFunction)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(windowFunction);
        return Build<TAcc, TOut>(
            "Window(Aggregate, Process)",
            function.CreateAccumulator,
            function.Add,
            function.Merge,
            processingTime => new ProcessWindowEmitter<TKey, TAcc, TAggregate, TOut>(windowFunction.CopyForSubtask(), (acc, single) =>
            {
                single[0] = function.GetResult(acc);
                return single;
            }, processingTime));
    }

    /// <summary>Keeps every record of each key and window and hands them to <paramref name="windowFunction"/> when the window fires.</summary>
    public DataStream<TOut> Process<TOut>(ProcessWindowFunction<T, TOut, TKey> windowFunction)
    {
        ArgumentNullException.ThrowIfNull(windowFunction);
        var list = new ListAggregate<T>();
        return Build<List<T>, TOut>("Window(Process)", list.CreateAccumulator, list.Add, list.Merge, processingTime => new ProcessWindowEmitter<TKey, List<T>, T, TOut>(windowFunction.CopyForSubtask(), static (acc, _) => acc, processingTime));
    }

    /// <summary>Reduces each key's records in a window to one (incrementally) and emits it when the window fires.</summary>
    public DataStream<T> Reduce(Func<T, T, T> reducer)
    {
        ArgumentNullException.ThrowIfNull(reducer);
        return Aggregate(new ReduceAggregate<T>(reducer));
    }

    private DataStream<TOut> Build<TAcc, TOut>(string name, Func<TAcc> create, Func<T, TAcc, TAcc> add, Func<TAcc, TAcc, TAcc> merge, Func<Time.ProcessingTimeService, WindowResultEmitter<TKey, TAcc, TOut>> emitter)
    {
        var keySelector = _input.KeySelector;
        var lateness = _allowedLatenessMs;
        var lateTag = _lateTag;
        if (_assigner is not AlignedWindowAssigner { IsEventTime: true } aligned || _trigger is not null)
        {
            var general = _assigner;
            var trigger = _trigger ?? _assigner.DefaultTrigger<T>();
            return _input.Keyed<TOut>(name, (setup, next) => new TriggerDrivenWindowOperator<TKey, T, TAcc, TOut>(
                setup,
                keySelector,
                general,
                trigger,
                lateness,
                create,
                add,
                merge,
                emitter(setup.ProcessingTime),
                next,
                lateTag is null ? null : setup.SideOutput(lateTag)));
        }

        // Aligned event-time windows with the default trigger: the specialised, allocation-free operator.
        var assigner = aligned;
        return _input.Keyed<TOut>(name, (setup, next) => new AlignedWindowAggregateOperator<TKey, T, TAcc, TOut>(
            setup,
            keySelector,
            assigner,
            lateness,
            create,
            add,
            emitter(setup.ProcessingTime),
            next,
            lateTag is null ? null : setup.SideOutput(lateTag)));
    }
}
