using Freshet.Streaming.Functions;
using Freshet.Streaming.State;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Operators;

/// <summary>The <see cref="KeyedProcessContext{TKey}"/> of a keyed process operator, updated before each call and reused.</summary>
internal sealed class KeyedProcessContextImpl<TKey> : KeyedProcessContext<TKey>
    where TKey : notnull
{
    private readonly KeyContext<TKey> _key;
    private readonly OperatorSetup _setup;
    private readonly Dictionary<string, object> _sideOutputs = new(StringComparer.Ordinal);

    public KeyedProcessContextImpl(KeyContext<TKey> key, KeyedTimerService<TKey> timers, OperatorSetup setup)
    {
        _key = key;
        TimerService = timers;
        _setup = setup;
    }

    public override TKey CurrentKey => _key.Current;

    public override long? Timestamp => CurrentTimestamp == long.MinValue ? null : CurrentTimestamp;

    public long CurrentTimestamp { get; set; } = long.MinValue;

    public override TimerService TimerService { get; }

    public override TimeDomain? TimeDomain => CurrentTimeDomain;

    public TimeDomain? CurrentTimeDomain { get; set; }

    public override void Output<TSide>(OutputTag<TSide> tag, TSide value)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (!_sideOutputs.TryGetValue(tag.Id, out var output))
        {
            var target = _setup.SideOutput(tag);
            output = target is null ? (object)false : new Output<TSide>(target, _setup.BatchSize, new OperatorMetricsCounter(_setup.Name, _setup.SubtaskIndex, _setup.Parallelism));
            _sideOutputs.Add(tag.Id, output);
        }

        if (output is Output<TSide> typed)
        {
            typed.Emit(value, CurrentTimestamp);
        }
    }

    /// <summary>Passes buffered side-output records on (before a control element, at the end of a batch).</summary>
    public void FlushSideOutputs()
    {
        foreach (var output in _sideOutputs.Values)
        {
            (output as IFlushable)?.Flush();
        }
    }
}
