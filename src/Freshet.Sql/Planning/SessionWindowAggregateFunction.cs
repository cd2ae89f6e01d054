using Freshet.Sql.Runtime;
using Freshet.Sql.Typing;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// The window aggregation over SQL's SESSION window table function, for one key (the SESSION's PARTITION BY values,
/// which are the aggregation's GROUP BY keys besides window_start and window_end). A row at event time t opens the
/// session <c>[t, t + gap)</c>; sessions of a key that overlap or touch merge into one (their accumulators merged),
/// so a row arriving out of order can bridge two sessions. An event-time timer at a session's end − 1 ms emits
/// <c>+I(group keys with window_start and window_end ++ results)</c> and drops the session. A row is late, and
/// dropped, when the session it would make or join has already ended by the watermark (Flink's merging window
/// lateness); an open session never has, so only a row that merges with none can be late.
/// <para>State per key: the open sessions, start → end and start → accumulator (few per key: the sessions not yet
/// closed by the watermark, which never overlap or touch). Runs on the task thread only.</para>
/// </summary>
internal sealed class SessionWindowAggregateFunction : KeyedProcessFunction<Row, Change<Row>, Change<Row>>
{
    /// <summary>In <see cref="_layout"/>: the position takes window_start.</summary>
    public const int WindowStart = -1;

    /// <summary>In <see cref="_layout"/>: the position takes window_end.</summary>
    public const int WindowEnd = -2;

    private readonly RowAggregateFunction _function;
    private readonly int _timeColumn;
    private readonly long _gapMs;
    private readonly int[] _layout;
    private MapState<long, long> _ends = null!;
    private MapState<long, RowAccumulator> _accumulators = null!;

    /// <param name="function">The aggregates, over the input row.</param>
    /// <param name="timeColumn">The DESCRIPTOR's time attribute in the input row.</param>
    /// <param name="gapMs">The session gap in milliseconds, positive.</param>
    /// <param name="layout">For each GROUP BY key in order: <see cref="WindowStart"/>, <see cref="WindowEnd"/>, or the
    /// position of its value in the stream's key row.</param>
    public SessionWindowAggregateFunction(RowAggregateFunction function, int timeColumn, long gapMs, int[] layout)
    {
        _function = function;
        _timeColumn = timeColumn;
        _gapMs = gapMs;
        _layout = layout;
    }

    /// <inheritdoc/>
    public override void Open(RuntimeContext context)
    {
        _ends = context.GetMapState(new MapStateDescriptor<long, long>("session-ends") { KeySerializer = Serializers.Int64, ValueSerializer = Serializers.Int64 });
        _accumulators = context.GetMapState(new MapStateDescriptor<long, RowAccumulator>("session-accumulators") { KeySerializer = Serializers.Int64, ValueSerializer = _function.AccumulatorSerializer });
    }

    /// <inheritdoc/>
    public override void ProcessElement(Change<Row> value, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        if (value.Row[_timeColumn] is not { } time)
        {
            return;
        }

        var timestamp = SqlValues.ToEpochMillis(time);
        var windowEnd = timestamp > long.MaxValue - _gapMs ? long.MaxValue : timestamp + _gapMs;
        var start = timestamp;
        var end = windowEnd;
        List<long>? merged = null;
        foreach (var session in _ends.Entries())
        {
            // Open sessions neither overlap nor touch each other, so every one the row's window meets merges with it.
            if (session.Key <= windowEnd && session.Value >= timestamp)
            {
                (merged ??= []).Add(session.Key);
                start = Math.Min(start, session.Key);
                end = Math.Max(end, session.Value);
            }
        }

        if (end - 1 <= context.TimerService.CurrentWatermark)
        {
            return;
        }

        var accumulator = _function.CreateAccumulator();
        foreach (var sessionStart in merged ?? [])
        {
            if (_accumulators.TryGetValue(sessionStart, out var other))
            {
                accumulator = _function.Merge(accumulator, other);
            }

            _ends.TryGetValue(sessionStart, out var sessionEnd);
            context.TimerService.DeleteEventTimeTimer(sessionEnd - 1);
            _ends.Remove(sessionStart);
            _accumulators.Remove(sessionStart);
        }

        _ends.Put(start, end);
        _accumulators.Put(start, _function.Add(value.Row, accumulator));
        context.TimerService.RegisterEventTimeTimer(end - 1);
    }

    /// <inheritdoc/>
    public override void OnTimer(long timestamp, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        var ended = new List<KeyValuePair<long, long>>();
        foreach (var session in _ends.Entries())
        {
            if (session.Value - 1 <= timestamp)
            {
                ended.Add(session);
            }
        }

        ended.Sort(static (a, b) => a.Key.CompareTo(b.Key));
        var key = context.CurrentKey;
        foreach (var (start, end) in ended)
        {
            if (_accumulators.TryGetValue(start, out var accumulator))
            {
                var results = _function.GetResult(accumulator);
                var values = new object?[_layout.Length + results.Arity];
                for (var i = 0; i < _layout.Length; i++)
                {
                    values[i] = _layout[i] switch
                    {
                        WindowStart => SqlValues.FromEpochMillis(start, SqlType.Timestamp(3)),
                        WindowEnd => SqlValues.FromEpochMillis(end, SqlType.Timestamp(3)),
                        var position => key[position],
                    };
                }

                results.Values.CopyTo(values.AsSpan(_layout.Length));
                output.Collect(Change.Insert(new Row(values)));
            }

            _ends.Remove(start);
            _accumulators.Remove(start);
        }
    }
}
