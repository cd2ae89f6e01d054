using Freshet.Streaming.Functions;
using Freshet.Streaming.Operators;
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
        var settings = CurrentSettings();
        return Build<TOut>(
            "Window(Process)",
            settings,
            (setup, next, assigner) => Aligned(settings, setup, next, assigner, list.CreateAccumulator, list.Add, new ProcessWindowEmitter<TKey, List<T>, T, TOut>(windowFunction.CopyForSubtask(), static (acc, _) => acc, setup.ProcessingTime)),
            (setup, next) => General(settings, setup, next, new ListWindowContents<TKey, T>(setup), new ProcessWindowEmitter<TKey, IReadOnlyList<T>, T, TOut>(windowFunction.CopyForSubtask(), static (acc, _) => acc, setup.ProcessingTime)));
    }

    /// <summary>Reduces each key's records in a window to one (incrementally) and emits it when the window fires.</summary>
    public DataStream<T> Reduce(Func<T, T, T> reducer)
    {
        ArgumentNullException.ThrowIfNull(reducer);
        return Aggregate(new ReduceAggregate<T>(reducer));
    }

    private DataStream<TOut> Build<TAcc, TOut>(string name, Func<TAcc> create, Func<T, TAcc, TAcc> add, Func<TAcc, TAcc, TAcc> merge, Func<Time.ProcessingTimeService, WindowResultEmitter<TKey, TAcc, TOut>> emitter)
    {
        var settings = CurrentSettings();
        return Build<TOut>(
            name,
            settings,
            (setup, next, assigner) => Aligned(settings, setup, next, assigner, create, add, emitter(setup.ProcessingTime)),
            (setup, next) => General(settings, setup, next, new AggregateWindowContents<TKey, T, TAcc>(setup, create, add, merge), emitter(setup.ProcessingTime)));
    }

    /// <summary>
    /// The window operator for this stream: the general one for any assigner and trigger; for aligned event-time windows
    /// with the default trigger, the specialised aligned operator with heap panes when the job's state backend keeps
    /// state as objects (the heap), otherwise the general one too, whose contents live in the backend (RocksDB) — the
    /// two give the same results.
    /// </summary>
    private DataStream<TOut> Build<TOut>(string name, Settings settings, Func<OperatorSetup, Operator<TOut>, AlignedWindowAssigner, Operator<T>> aligned, Func<OperatorSetup, Operator<TOut>, Operator<T>> general)
    {
        if (settings.Assigner is not AlignedWindowAssigner { IsEventTime: true } alignedAssigner || settings.Trigger is not null)
        {
            return _input.Keyed(name, general);
        }

        return _input.Keyed<TOut>(name, (setup, next) => setup.StateBackend.KeepsStateAsObjects ? aligned(setup, next, alignedAssigner) : general(setup, next));
    }

    /// <summary>The configuration as of now: a later change to this windowed stream does not alter streams already built from it.</summary>
    private Settings CurrentSettings() => new(_input.KeySelector, _assigner, _trigger, _allowedLatenessMs, _lateTag);

    private static AlignedWindowAggregateOperator<TKey, T, TAcc, TOut> Aligned<TAcc, TOut>(Settings settings, OperatorSetup setup, Operator<TOut> next, AlignedWindowAssigner assigner, Func<TAcc> create, Func<T, TAcc, TAcc> add, WindowResultEmitter<TKey, TAcc, TOut> emitter) =>
        new(setup, settings.KeySelector, assigner, settings.AllowedLatenessMs, create, add, emitter, next, LateOutput(settings, setup));

    private static TriggerDrivenWindowOperator<TKey, T, TAcc, TOut> General<TAcc, TOut>(Settings settings, OperatorSetup setup, Operator<TOut> next, WindowContents<TKey, T, TAcc> contents, WindowResultEmitter<TKey, TAcc, TOut> emitter) =>
        new(setup, settings.KeySelector, settings.Assigner, settings.Trigger ?? settings.Assigner.DefaultTrigger<T>(), settings.AllowedLatenessMs, contents, emitter, next, LateOutput(settings, setup));

    private static Operator<T>? LateOutput(Settings settings, OperatorSetup setup) => settings.LateTag is null ? null : setup.SideOutput(settings.LateTag);

    /// <summary>What the window operators of one built stream are made from.</summary>
    private sealed record Settings(Func<T, TKey> KeySelector, WindowAssigner Assigner, Trigger<T>? Trigger, long AllowedLatenessMs, OutputTag<T>? LateTag);
}
