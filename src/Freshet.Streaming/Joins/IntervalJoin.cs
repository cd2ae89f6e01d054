using Freshet.Streaming.Functions;
using Freshet.Streaming.Operators;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Joins;

/// <summary>An interval join whose bounds are set next with <see cref="Between"/>.</summary>
public sealed class IntervalJoin<TKey, T1, T2>
    where TKey : notnull
{
    private readonly KeyedStream<TKey, T1> _left;
    private readonly KeyedStream<TKey, T2> _right;

    internal IntervalJoin(KeyedStream<TKey, T1> left, KeyedStream<TKey, T2> right)
    {
        _left = left;
        _right = right;
    }

    /// <summary>
    /// Right records join a left record at time <c>t</c> when their time is in <c>[t + lower, t + upper]</c> (both
    /// bounds inclusive by default; millisecond resolution).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="lower"/> is greater than <paramref name="upper"/>.</exception>
    public IntervalJoined<TKey, T1, T2> Between(TimeSpan lower, TimeSpan upper)
    {
        if (lower > upper)
        {
            throw new ArgumentException($"The lower bound ({lower}) must not be greater than the upper bound ({upper}).", nameof(lower));
        }

        return new IntervalJoined<TKey, T1, T2>(_left, _right, (long)lower.TotalMilliseconds, (long)upper.TotalMilliseconds);
    }
}

/// <summary>An interval join with its bounds, finished by <see cref="Process{TOut}(ProcessJoinFunction{T1, T2, TOut})"/>.</summary>
public sealed class IntervalJoined<TKey, T1, T2>
    where TKey : notnull
{
    private readonly KeyedStream<TKey, T1> _left;
    private readonly KeyedStream<TKey, T2> _right;
    private long _lowerMs;
    private long _upperMs;

    internal IntervalJoined(KeyedStream<TKey, T1> left, KeyedStream<TKey, T2> right, long lowerMs, long upperMs)
    {
        _left = left;
        _right = right;
        _lowerMs = lowerMs;
        _upperMs = upperMs;
    }

    /// <summary>Excludes the lower bound: right time &gt; t + lower.</summary>
    public IntervalJoined<TKey, T1, T2> LowerBoundExclusive()
    {
        _lowerMs++;
        return this;
    }

    /// <summary>Excludes the upper bound: right time &lt; t + upper.</summary>
    public IntervalJoined<TKey, T1, T2> UpperBoundExclusive()
    {
        _upperMs--;
        return this;
    }

    /// <summary>Runs <paramref name="join"/> for every joined pair.</summary>
    /// <exception cref="ArgumentException">Excluding bounds left an empty interval.</exception>
    public DataStream<TOut> Process<TOut>(ProcessJoinFunction<T1, T2, TOut> join)
    {
        ArgumentNullException.ThrowIfNull(join);
        if (_lowerMs > _upperMs)
        {
            throw new ArgumentException("The interval is empty once the excluded bounds are removed.", nameof(join));
        }

        return _left.Input.Connect(_right.Input)
            .KeyBy(_left.KeySelector, _right.KeySelector)
            .Process(new IntervalJoinFunction<TKey, T1, T2, TOut>(join, _lowerMs, _upperMs))
            .WithName("Interval Join");
    }

    /// <summary>One result per joined pair.</summary>
    public DataStream<TOut> Process<TOut>(Func<T1, T2, TOut> join)
    {
        ArgumentNullException.ThrowIfNull(join);
        return Process(new DelegateJoin<TOut>(join));
    }

    private sealed class DelegateJoin<TOut>(Func<T1, T2, TOut> join) : ProcessJoinFunction<T1, T2, TOut>
    {
        public override void ProcessElement(T1 left, T2 right, ProcessJoinContext context, Collector<TOut> output) => output.Collect(join(left, right));
    }
}

/// <summary>
/// The interval join as keyed state and timers (Flink's <c>IntervalJoinOperator</c>): each side buffers its records per
/// key; a new record joins the buffered records of the other side that are in its interval. A record arriving with
/// event time below the watermark is late and dropped. A left record at <c>t</c> can match no future right record
/// once the watermark passes <c>t + upper</c>, a right record at <c>t</c> no future left one once it passes
/// <c>t − lower</c>: event-time timers then remove them, so state stays bounded by the interval and the
/// out-of-orderness.
/// </summary>
internal sealed class IntervalJoinFunction<TKey, T1, T2, TOut>(ProcessJoinFunction<T1, T2, TOut> join, long lowerMs, long upperMs)
    : KeyedCoProcessFunction<TKey, T1, T2, TOut>
{
    private readonly ProcessJoinFunction<T1, T2, TOut> _join = join.CopyForSubtask();
    private readonly PairContext _pair = new();
    private readonly ProcessJoinFunction<T1, T2, TOut> _prototype = join;
    private ValueState<List<(T1 Value, long Time)>?> _lefts = null!;
    private ValueState<List<(T2 Value, long Time)>?> _rights = null!;

    /// <summary>A fresh instance per subtask: the pair context and the user function's copy are per subtask.</summary>
    internal override KeyedCoProcessFunction<TKey, T1, T2, TOut> CopyForSubtask() => new IntervalJoinFunction<TKey, T1, T2, TOut>(_prototype, lowerMs, upperMs);

    public override void Open(RuntimeContext context)
    {
        _lefts = context.GetState(new ValueStateDescriptor<List<(T1 Value, long Time)>?>("interval-join-left"));
        _rights = context.GetState(new ValueStateDescriptor<List<(T2 Value, long Time)>?>("interval-join-right"));
    }

    public override void ProcessElement1(T1 value, KeyedProcessContext<TKey> context, Collector<TOut> output)
    {
        var time = RequireTime(context);
        if (time < context.TimerService.CurrentWatermark)
        {
            return;
        }

        var lefts = _lefts.Value ?? [];
        lefts.Add((value, time));
        _lefts.Update(lefts);
        if (_rights.Value is { } rights)
        {
            foreach (var (right, rightTime) in rights)
            {
                if (rightTime >= time + lowerMs && rightTime <= time + upperMs)
                {
                    Emit(value, time, right, rightTime, output);
                }
            }
        }

        context.TimerService.RegisterEventTimeTimer(CleanupTimeOfLeft(time));
    }

    public override void ProcessElement2(T2 value, KeyedProcessContext<TKey> context, Collector<TOut> output)
    {
        var time = RequireTime(context);
        if (time < context.TimerService.CurrentWatermark)
        {
            return;
        }

        var rights = _rights.Value ?? [];
        rights.Add((value, time));
        _rights.Update(rights);
        if (_lefts.Value is { } lefts)
        {
            foreach (var (left, leftTime) in lefts)
            {
                if (time >= leftTime + lowerMs && time <= leftTime + upperMs)
                {
                    Emit(left, leftTime, value, time, output);
                }
            }
        }

        context.TimerService.RegisterEventTimeTimer(CleanupTimeOfRight(time));
    }

    public override void OnTimer(long timestamp, KeyedProcessContext<TKey> context, Collector<TOut> output)
    {
        if (_lefts.Value is { } lefts)
        {
            lefts.RemoveAll(left => CleanupTimeOfLeft(left.Time) <= timestamp);
            if (lefts.Count == 0)
            {
                _lefts.Clear();
            }
        }

        if (_rights.Value is { } rights)
        {
            rights.RemoveAll(right => CleanupTimeOfRight(right.Time) <= timestamp);
            if (rights.Count == 0)
            {
                _rights.Clear();
            }
        }
    }

    // Timers fire when the watermark reaches their time; "passes" means watermark > t + upper, hence the + 1.
    private long CleanupTimeOfLeft(long time) => Saturating(time, upperMs) + 1;

    private long CleanupTimeOfRight(long time) => Saturating(time, -lowerMs) + 1;

    private static long Saturating(long a, long b)
    {
        var sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (b > 0 ? long.MaxValue - 1 : long.MinValue) : Math.Min(sum, long.MaxValue - 1);
    }

    private static long RequireTime(KeyedProcessContext<TKey> context) =>
        context.Timestamp ?? throw new InvalidOperationException("An interval join needs event time: give both sources a timestamp assigner or records with timestamps.");

    private void Emit(T1 left, long leftTime, T2 right, long rightTime, Collector<TOut> output)
    {
        _pair.Left = leftTime;
        _pair.Right = rightTime;
        if (output is OutputCollector<TOut> collector)
        {
            // The pair's time, not the arriving record's: as Flink's interval join.
            collector.Timestamp = Math.Max(leftTime, rightTime);
        }

        _join.ProcessElement(left, right, _pair, output);
    }

    private sealed class PairContext : ProcessJoinContext
    {
        public long Left { get; set; }

        public long Right { get; set; }

        public override long LeftTimestamp => Left;

        public override long RightTimestamp => Right;
    }
}
