using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Operators;

/// <summary>
/// Runs a <see cref="KeyedProcessFunction{TKey, TIn, TOut}"/>: sets the current key for state and timers before each
/// record and timer. Event-time timers fire when a watermark reaches them, before the watermark is forwarded, in
/// time order (timers registered while firing fire in the same pass if due). Processing-time timers fire on the task
/// thread through the task's <see cref="ProcessingTimeService"/>. Checkpoints cover every keyed state and both timer
/// sets. Task thread only.
/// </summary>
internal sealed class KeyedProcessOperator<TKey, TIn, TOut> : Operator<TIn>, IProcessingTimeCallback, ICheckpointedOperator
    where TKey : notnull
{
    private readonly KeyedProcessFunction<TKey, TIn, TOut> _function;
    private readonly Func<TIn, TKey> _keySelector;
    private readonly OperatorSetup _setup;
    private readonly Output<TOut> _output;
    private readonly OutputCollector<TOut> _collector = new();
    private readonly KeyContext<TKey> _key = new();
    private readonly KeyedTimerService<TKey> _timers;
    private readonly KeyedProcessContextImpl<TKey> _context;

    public KeyedProcessOperator(OperatorSetup setup, KeyedProcessFunction<TKey, TIn, TOut> function, Func<TIn, TKey> keySelector, Operator<TOut> next)
        : base(setup)
    {
        _function = function;
        _keySelector = keySelector;
        _setup = setup;
        _output = new Output<TOut>(next, setup.BatchSize, Metrics);
        _timers = new KeyedTimerService<TKey>(_key, setup.ProcessingTime, this);
        _context = new KeyedProcessContextImpl<TKey>(_key, _timers, setup);
        _collector.Target = _output;
        StateContext = new KeyedRuntimeContext<TKey>(_key, setup.SubtaskIndex, setup.Parallelism, setup.ProcessingTime, setup.StateBackend, setup.MaxParallelism, setup.Name, setup.Uid)
        {
            Queryable = setup.QueryableStates is { } registry
                ? new Queryable.QueryableStatePublisher<TKey>(registry, setup.ProcessingTime.Mailbox, setup.Uid, setup.QueryablePart.Index, setup.QueryablePart.Count, setup.MaxParallelism)
                : null,
        };
    }

    /// <summary>The keyed state of this subtask, in the job's backend; the function declares its states in <c>Open</c> (or later).</summary>
    internal KeyedRuntimeContext<TKey> StateContext { get; }

    protected override void OnOpen() => _function.Open(StateContext);

    public Func<IReadOnlyList<(string Name, byte[] Bytes)>>? SnapshotState(long checkpointId)
    {
        var states = StateContext.CaptureStates();
        var timers = _timers.Capture(_setup.MaxParallelism);
        return () => [.. states(), .. timers()];
    }

    /// <summary>
    /// The keyed states, whatever their names, under every known backend's prefixes (heap <c>state:</c>, RocksDB
    /// <c>rocksdb:</c> and <c>rocksdb-ttl:</c>; a restore into the other backend is refused by the backend, by name),
    /// and timers (<c>timers:</c>).
    /// </summary>
    public IReadOnlyList<string> StateSections { get; } = [.. StateBackend.SectionPrefixes, "timers:"];

    public void RestoreState(RestoredOperatorState restored)
    {
        StateContext.SetRestored(restored, _setup.KeyGroupRange);
        _timers.Restore(restored, _setup.MaxParallelism, _setup.KeyGroupRange);
    }

    /// <summary>Releases the subtask's state (deletes a RocksDB working database).</summary>
    public override void Close() => StateContext.Dispose();

    protected override void ProcessBatch(StreamBatch<TIn> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        _context.CurrentTimeDomain = null;
        for (var i = 0; i < batch.Count; i++)
        {
            var value = values[i];
            SetKey(_keySelector(value));
            _context.CurrentTimestamp = timestamps[i];
            _collector.Timestamp = timestamps[i];
            _function.ProcessElement(value, _context, _collector);
        }

        _key.IsSet = false;
        _output.Flush();
        _context.FlushSideOutputs();
    }

    protected override void OnWatermark(long watermark)
    {
        _timers.Watermark = watermark;
        _context.CurrentTimeDomain = TimeDomain.EventTime;
        while (_timers.EventTimers.TryPopDue(watermark, out var timer))
        {
            SetKey(timer.Key);
            _context.CurrentTimestamp = timer.Time;
            _collector.Timestamp = timer.Time;
            _function.OnTimer(timer.Time, _context, _collector);
        }

        _key.IsSet = false;
        _context.CurrentTimeDomain = null;
        _context.FlushSideOutputs();
        _output.Watermark(watermark);
        foreach (var side in _setup.SideOutputs.Values)
        {
            side.Watermark(watermark);
        }
    }

    public void OnProcessingTime(long nowMs)
    {
        try
        {
            _context.CurrentTimeDomain = TimeDomain.ProcessingTime;
            while (_timers.ProcessingTimers.TryPopDue(nowMs, out var timer))
            {
                SetKey(timer.Key);
                _context.CurrentTimestamp = long.MinValue;
                _collector.Timestamp = long.MinValue;
                _function.OnTimer(timer.Time, _context, _collector);
            }

            _key.IsSet = false;
            _context.CurrentTimeDomain = null;
            _output.Flush();
            _context.FlushSideOutputs();
        }
        catch (Exception e) when (IsUserFailure(e))
        {
            throw Wrap(e);
        }
    }

    protected override void OnIdle()
    {
        _output.Idle();
        foreach (var side in _setup.SideOutputs.Values)
        {
            side.Idle();
        }
    }

    protected override void OnFinish()
    {
        StateContext.PublishFinalQueryableContents();
        _output.Finish();
        foreach (var side in _setup.SideOutputs.Values)
        {
            side.Finish();
        }
    }

    private void SetKey(TKey key)
    {
        _key.Current = key;
        _key.IsSet = true;
    }
}
