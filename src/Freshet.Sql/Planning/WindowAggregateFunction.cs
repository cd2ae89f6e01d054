using Freshet.Sql.Runtime;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// The window aggregation of SQL's window table functions: the key holds the GROUP BY values, window_start and
/// window_end among them (a row in several windows arrives once per window, assigned upstream). One accumulator per
/// key; an event-time timer at window_end − 1 ms emits <c>+I(keys ++ results)</c> and drops the accumulator, so
/// state lives only while a window is open. A row for a window whose end the watermark has passed is late and
/// dropped, as Flink's window aggregation drops it. Runs on the task thread only.
/// </summary>
internal sealed class WindowAggregateFunction : KeyedProcessFunction<Row, Change<Row>, Change<Row>>
{
    private readonly RowAggregateFunction _function;
    private readonly int _windowEndKey;
    private ValueState<RowAccumulator> _accumulator = null!;

    /// <param name="function">The aggregates.</param>
    /// <param name="windowEndKey">Position of window_end in the key row.</param>
    public WindowAggregateFunction(RowAggregateFunction function, int windowEndKey)
    {
        _function = function;
        _windowEndKey = windowEndKey;
    }

    /// <inheritdoc/>
    public override void Open(RuntimeContext context) =>
        _accumulator = context.GetState(new ValueStateDescriptor<RowAccumulator>("window-accumulator") { Serializer = _function.AccumulatorSerializer });

    /// <inheritdoc/>
    public override void ProcessElement(Change<Row> value, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        var lastTimestamp = SqlValues.ToEpochMillis(context.CurrentKey[_windowEndKey]!) - 1;
        if (lastTimestamp <= context.TimerService.CurrentWatermark)
        {
            return;
        }

        var accumulator = _accumulator.HasValue ? _accumulator.Value : _function.CreateAccumulator();
        _accumulator.Update(_function.Add(value.Row, accumulator));
        context.TimerService.RegisterEventTimeTimer(lastTimestamp);
    }

    /// <inheritdoc/>
    public override void OnTimer(long timestamp, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        if (!_accumulator.HasValue)
        {
            return;
        }

        var results = _function.GetResult(_accumulator.Value);
        var key = context.CurrentKey;
        var values = new object?[key.Arity + results.Arity];
        key.Values.CopyTo(values);
        results.Values.CopyTo(values.AsSpan(key.Arity));
        output.Collect(Change.Insert(new Row(values)));
        _accumulator.Clear();
    }
}
