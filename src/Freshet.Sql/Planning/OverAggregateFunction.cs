using Freshet.Sql.Runtime;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// Flink's streaming OVER aggregation for one partition key: every input row is emitted once, as
/// <c>+I(row ++ results)</c>, with the aggregates over its frame, a frame that ends at the row and starts
/// <see cref="OverFrame.Preceding"/> rows (ROWS) or milliseconds (RANGE) before it, or at the partition's first row.
/// <para>
/// Order. On event time a row waits in <c>pending</c> (timestamp → rows, in arrival order) until the watermark
/// reaches its timestamp; the event-time timer at that timestamp then processes the rows of that timestamp, so a
/// partition's rows are processed in timestamp order whatever order they arrived in. A row whose timestamp is not
/// after the watermark when it arrives is late and dropped. In RANGE mode the rows of one timestamp are all added
/// before any is emitted, so they see each other; in ROWS mode each sees the rows processed before it. On processing
/// time a row is processed when it arrives, at the clock's time.
/// </para>
/// <para>
/// State per key: one accumulator (the aggregates retract, so a bounded frame moves by adding the new row and
/// retracting the rows that left it); for bounded frames the rows in the frame, as a FIFO of sequence numbers
/// <c>[head, next)</c> → row with its timestamp appended. A RANGE frame's rows leave it as time passes, so each
/// processed timestamp t also sets a timer at t + preceding + 1, when the rows of t leave every later frame; a
/// bounded frame that becomes empty clears the key's state. An unbounded frame keeps its accumulator, as Flink's does.
/// Runs on the task thread only.
/// </para>
/// </summary>
internal sealed class OverAggregateFunction : KeyedProcessFunction<Row, Change<Row>, Change<Row>>
{
    private readonly RowAggregateFunction _function;
    private readonly OverFrame _frame;
    private readonly int _timeColumn;
    private readonly bool _eventTime;
    private readonly ISerializer<Row[]> _pendingSerializer;
    private readonly ISerializer<Row> _frameRowSerializer;
    private ValueState<RowAccumulator> _accumulator = null!;
    private MapState<long, Row[]> _pending = null!;
    private MapState<long, Row> _frameRows = null!;
    private ValueState<long> _frameHead = null!;
    private ValueState<long> _frameNext = null!;

    /// <param name="function">The OVER calls' aggregates, over the input row.</param>
    /// <param name="frame">The frame the calls share.</param>
    /// <param name="timeColumn">The ORDER BY time attribute's position in the input row (read on event time).</param>
    /// <param name="eventTime">Whether the order is event time (rowtime) rather than processing time.</param>
    /// <param name="pendingSerializer">Arrays of input rows.</param>
    /// <param name="frameRowSerializer">Input rows with a BIGINT timestamp appended.</param>
    public OverAggregateFunction(RowAggregateFunction function, OverFrame frame, int timeColumn, bool eventTime, ISerializer<Row[]> pendingSerializer, ISerializer<Row> frameRowSerializer)
    {
        _function = function;
        _frame = frame;
        _timeColumn = timeColumn;
        _eventTime = eventTime;
        _pendingSerializer = pendingSerializer;
        _frameRowSerializer = frameRowSerializer;
    }

    /// <inheritdoc/>
    public override void Open(RuntimeContext context)
    {
        _accumulator = context.GetState(new ValueStateDescriptor<RowAccumulator>("over-accumulator") { Serializer = _function.AccumulatorSerializer });
        _pending = context.GetMapState(new MapStateDescriptor<long, Row[]>("over-pending") { KeySerializer = Serializers.Int64, ValueSerializer = _pendingSerializer });
        _frameRows = context.GetMapState(new MapStateDescriptor<long, Row>("over-frame") { KeySerializer = Serializers.Int64, ValueSerializer = _frameRowSerializer });
        _frameHead = context.GetState(new ValueStateDescriptor<long>("over-frame-head") { Serializer = Serializers.Int64 });
        _frameNext = context.GetState(new ValueStateDescriptor<long>("over-frame-next") { Serializer = Serializers.Int64 });
    }

    /// <inheritdoc/>
    public override void ProcessElement(Change<Row> value, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        if (!_eventTime)
        {
            var now = context.TimerService.CurrentProcessingTime;
            Process(now, [value.Row], output);
            if (_frame is { Rows: false, Preceding: { } preceding } && now < long.MaxValue - preceding)
            {
                context.TimerService.RegisterProcessingTimeTimer(now + preceding + 1);
            }

            return;
        }

        if (value.Row[_timeColumn] is not { } time)
        {
            return;
        }

        var timestamp = SqlValues.ToEpochMillis(time);
        if (timestamp <= context.TimerService.CurrentWatermark)
        {
            return;
        }

        Row[] rows = _pending.TryGetValue(timestamp, out var earlier) ? [.. earlier, value.Row] : [value.Row];
        _pending.Put(timestamp, rows);
        context.TimerService.RegisterEventTimeTimer(timestamp);
    }

    /// <inheritdoc/>
    public override void OnTimer(long timestamp, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        Row[] rows = [];
        if (_eventTime && _pending.TryGetValue(timestamp, out var pending))
        {
            rows = pending;
            _pending.Remove(timestamp);
        }

        Process(timestamp, rows, output);
        if (rows.Length > 0 && _frame is { Rows: false, Preceding: { } preceding } && timestamp < long.MaxValue - preceding)
        {
            context.TimerService.RegisterEventTimeTimer(timestamp + preceding + 1);
        }
    }

    /// <summary>Moves the frame to <paramref name="timestamp"/>, then adds and emits <paramref name="rows"/> (all of
    /// that timestamp, in arrival order); with no rows it only drops what left the frame.</summary>
    private void Process(long timestamp, Row[] rows, Collector<Change<Row>> output)
    {
        if (rows.Length == 0 && !_accumulator.HasValue)
        {
            return;
        }

        var accumulator = _accumulator.HasValue ? _accumulator.Value : _function.CreateAccumulator();
        var bounded = _frame.Preceding is not null;
        var head = _frameHead.HasValue ? _frameHead.Value : 0;
        var next = _frameNext.HasValue ? _frameNext.Value : 0;
        if (!_frame.Rows)
        {
            // RANGE: the frame of a row at t holds the rows at t - range .. t (every earlier row when unbounded).
            while (_frame.Preceding is { } range && head < next && _frameRows.TryGetValue(head, out var oldest) && (long)oldest[oldest.Arity - 1]! < timestamp - range)
            {
                accumulator = _function.Retract(oldest, accumulator);
                _frameRows.Remove(head++);
            }

            foreach (var row in rows)
            {
                accumulator = _function.Add(row, accumulator);
                if (bounded)
                {
                    _frameRows.Put(next++, Stamped(row, timestamp));
                }
            }

            if (rows.Length > 0)
            {
                var results = _function.GetResult(accumulator);
                foreach (var row in rows)
                {
                    output.Collect(Change.Insert(Concat(row, results)));
                }
            }
        }
        else
        {
            foreach (var row in rows)
            {
                // ROWS n: the frame holds the row and the n rows processed before it.
                if (_frame.Preceding is { } count && next - head > count && _frameRows.TryGetValue(head, out var oldest))
                {
                    accumulator = _function.Retract(oldest, accumulator);
                    _frameRows.Remove(head++);
                }

                accumulator = _function.Add(row, accumulator);
                if (bounded)
                {
                    _frameRows.Put(next++, Stamped(row, timestamp));
                }

                output.Collect(Change.Insert(Concat(row, _function.GetResult(accumulator))));
            }
        }

        if (bounded && head == next)
        {
            _accumulator.Clear();
            _frameHead.Clear();
            _frameNext.Clear();
            return;
        }

        _accumulator.Update(accumulator);
        if (bounded)
        {
            _frameHead.Update(head);
            _frameNext.Update(next);
        }
    }

    private static Row Stamped(Row row, long timestamp)
    {
        var values = new object?[row.Arity + 1];
        row.Values.CopyTo(values);
        values[row.Arity] = timestamp;
        return new Row(values);
    }

    private static Row Concat(Row row, Row results)
    {
        var values = new object?[row.Arity + results.Arity];
        row.Values.CopyTo(values);
        results.Values.CopyTo(values.AsSpan(row.Arity));
        return new Row(values);
    }
}
