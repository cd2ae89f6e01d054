using Freshet.Sql.Runtime;
using Freshet.Sql.Typing;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// The window aggregation of a TUMBLE over a processing-time attribute, as Flink runs it: the window of a row is the
/// one containing the operator's own processing time when the row arrives (not the time the attribute was read
/// upstream, which a row in flight across an exchange may already have left behind), so no row is ever late. The key
/// holds the GROUP BY values without window_start and window_end; one accumulator per key and window start, in map
/// state. A processing-time timer at window_end emits <c>+I(keys with the window ++ results)</c> and drops the
/// accumulator (at window_end, not a millisecond before, so that no row of the window's last millisecond can arrive
/// after it fired and open the window again); an event-time timer at the end of time fires the windows still open when a bounded input ends (its
/// final watermark), so they are not lost. Runs on the task thread only.
/// </summary>
internal sealed class ProcessingTimeWindowAggregateFunction : KeyedProcessFunction<Row, Change<Row>, Change<Row>>
{
    /// <summary>The event-time timer only the final watermark of a bounded input reaches.</summary>
    private const long EndOfInput = long.MaxValue - 1;

    private readonly RowAggregateFunction _function;
    private readonly long _sizeMs;
    private readonly long _offsetMs;
    private readonly int _startKey;
    private readonly int _endKey;
    private MapState<long, RowAccumulator> _windows = null!;

    /// <param name="function">The aggregates.</param>
    /// <param name="sizeMs">The window size.</param>
    /// <param name="offsetMs">The windows' alignment offset.</param>
    /// <param name="startKey">Position of window_start in the output's key part (the GROUP BY list).</param>
    /// <param name="endKey">Position of window_end there.</param>
    public ProcessingTimeWindowAggregateFunction(RowAggregateFunction function, long sizeMs, long offsetMs, int startKey, int endKey)
    {
        _function = function;
        _sizeMs = sizeMs;
        _offsetMs = offsetMs;
        _startKey = startKey;
        _endKey = endKey;
    }

    /// <inheritdoc/>
    public override void Open(RuntimeContext context) =>
        _windows = context.GetMapState(new MapStateDescriptor<long, RowAccumulator>("proctime-windows") { ValueSerializer = _function.AccumulatorSerializer });

    /// <inheritdoc/>
    public override void ProcessElement(Change<Row> value, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        var now = context.TimerService.CurrentProcessingTime;
        var remainder = (now - _offsetMs) % _sizeMs;
        var start = now - (remainder < 0 ? remainder + _sizeMs : remainder);
        var accumulator = _windows.TryGetValue(start, out var open) ? open : _function.CreateAccumulator();
        _windows.Put(start, _function.Add(value.Row, accumulator));
        context.TimerService.RegisterProcessingTimeTimer(start + _sizeMs);
        context.TimerService.RegisterEventTimeTimer(EndOfInput);
    }

    /// <inheritdoc/>
    public override void OnTimer(long timestamp, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        var endOfInput = timestamp == EndOfInput;
        List<long>? fired = null;
        foreach (var (start, _) in _windows.Entries())
        {
            if (endOfInput || start + _sizeMs <= timestamp)
            {
                (fired ??= []).Add(start);
            }
        }

        if (fired is null)
        {
            return;
        }

        fired.Sort();
        var key = context.CurrentKey;
        foreach (var start in fired)
        {
            _windows.TryGetValue(start, out var accumulator);
            var results = _function.GetResult(accumulator);
            var values = new object?[key.Arity + 2 + results.Arity];
            for (int i = 0, k = 0; i < key.Arity + 2; i++)
            {
                values[i] = i == _startKey ? SqlValues.FromEpochMillis(start, SqlType.Timestamp(3))
                    : i == _endKey ? SqlValues.FromEpochMillis(start + _sizeMs, SqlType.Timestamp(3))
                    : key[k++];
            }

            results.Values.CopyTo(values.AsSpan(key.Arity + 2));
            output.Collect(Change.Insert(new Row(values)));
            _windows.Remove(start);
            context.TimerService.DeleteProcessingTimeTimer(start + _sizeMs);
        }

        if (_windows.IsEmpty)
        {
            context.TimerService.DeleteEventTimeTimer(EndOfInput);
        }
    }
}
