using System.Diagnostics;
using Freshet.Streaming.Operators;

namespace Freshet.Streaming.Exchange;

/// <summary>
/// The last operator of a chain whose stream goes to another task: routes records to the receiving subtasks'
/// <see cref="InputGate{T}"/>s, batching per receiver. A pending batch is sent when it is full and another record
/// must go in, when a control element follows it (watermark, idle, end of input, checkpoint barrier), or by
/// <see cref="FlushIfOlderThan"/> when its first record has waited the buffer timeout. Sending blocks while the
/// receiver's channel is full (backpressure, counted as the task's backpressured time in <see cref="TaskCounters"/>). Not thread-safe: used by its task thread only.
/// <para>
/// Records of type <typeparamref name="TIn"/> enter the receivers' gates as <typeparamref name="TGate"/>, converted
/// by <typeparamref name="TConverter"/>: the identity for one-input exchanges, a tag for the inputs of a two-input
/// operator (whose gate carries <see cref="TaggedUnion{T1, T2}"/>). The converter is a struct type parameter, so the
/// identity compiles away. A router target of <see cref="Router{T}.AllTargets"/> sends the record to every receiver
/// (broadcast).
/// </para>
/// </summary>
internal sealed class ExchangeWriter<TIn, TGate, TConverter> : Operator<TIn>, IBufferedOutput
    where TConverter : struct, IElementConverter<TIn, TGate>
{
    public override bool IsStateless => true;

    private readonly InputGate<TGate>[] _gates;
    private readonly int _channel;
    private readonly Router<TIn> _router;
    private readonly StreamBatch<TGate>?[] _pending;
    private readonly long[] _pendingSince;
    private int[] _targets;

    /// <param name="gates">One gate per receiving subtask.</param>
    /// <param name="channel">This sender's channel index in every gate (= its subtask index).</param>
    public ExchangeWriter(OperatorSetup setup, InputGate<TGate>[] gates, int channel, Router<TIn> router)
        : base(setup)
    {
        _gates = gates;
        _channel = channel;
        _router = router;
        _pending = new StreamBatch<TGate>?[gates.Length];
        _pendingSince = new long[gates.Length];
        _targets = new int[setup.BatchSize];
    }

    public override bool IsReported => false;

    public Tasks.TaskMetricsCounter? TaskCounters { private get; set; }

    protected override void ProcessBatch(StreamBatch<TIn> batch)
    {
        var count = batch.Count;
        if (_targets.Length < count)
        {
            _targets = new int[count];
        }

        var targets = _targets.AsSpan(0, count);
        _router.Route(batch.ValueSpan, targets);
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        for (var i = 0; i < count; i++)
        {
            var t = targets[i];
            if (t == Router<TIn>.AllTargets)
            {
                AddToAll(default(TConverter).Convert(values[i]), timestamps[i]);
                continue;
            }

            var pending = _pending[t];
            if (pending is null || pending.IsFull)
            {
                pending = NextBatch(t);
            }

            pending.Add(default(TConverter).Convert(values[i]), timestamps[i]);
        }
    }

    private void AddToAll(TGate value, long timestamp)
    {
        for (var t = 0; t < _pending.Length; t++)
        {
            var pending = _pending[t];
            if (pending is null || pending.IsFull)
            {
                pending = NextBatch(t);
            }

            pending.Add(value, timestamp);
        }
    }

    /// <summary>Sends the full pending batch of <paramref name="target"/> (if any) and rents a new one.</summary>
    private StreamBatch<TGate> NextBatch(int target)
    {
        var full = _pending[target];
        if (full is not null)
        {
            _gates[target].Put(_channel, full, TaskCounters);
        }

        var fresh = _gates[target].Rent(_channel);
        _pending[target] = fresh;
        _pendingSince[target] = Stopwatch.GetTimestamp();
        return fresh;
    }

    /// <summary>Sends every pending batch whose first record is older than <paramref name="timeoutTicks"/> (Stopwatch ticks).</summary>
    public void FlushIfOlderThan(long timeoutTicks)
    {
        var now = Stopwatch.GetTimestamp();
        for (var t = 0; t < _pending.Length; t++)
        {
            var pending = _pending[t];
            if (pending is { Count: > 0 } && now - _pendingSince[t] >= timeoutTicks)
            {
                _gates[t].Put(_channel, pending, TaskCounters);
                _pending[t] = null;
            }
        }
    }

    protected override void OnWatermark(long watermark) => Broadcast(StreamElementKind.Watermark, watermark);

    protected override void OnIdle() => Broadcast(StreamElementKind.Idle, 0);

    protected override void OnFinish() => Broadcast(StreamElementKind.EndOfInput, 0);

    public void EmitBarrier(long checkpointId) => Broadcast(StreamElementKind.Barrier, checkpointId);

    /// <summary>Sends a control element to every receiver, riding on the pending batch so it stays after those records.</summary>
    private void Broadcast(StreamElementKind kind, long value)
    {
        for (var t = 0; t < _gates.Length; t++)
        {
            var batch = _pending[t] ?? _gates[t].Rent(_channel);
            _pending[t] = null;
            batch.Trailer = kind;
            batch.TrailerValue = value;
            _gates[t].Put(_channel, batch, TaskCounters);
        }
    }
}
