using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Windows;

/// <summary>
/// Window contents as one accumulator per (key, window), in a value state: an add is one access of the accumulator (on
/// the heap one dictionary lookup; in RocksDB a read and a write, one deserialization and one serialization). Task
/// thread only.
/// </summary>
internal sealed class AggregateWindowContents<TKey, TIn, TAcc> : WindowContents<TKey, TIn, TAcc>, IValueUpdate<TAcc>
    where TKey : notnull
{
    private readonly Func<TAcc> _create;
    private readonly Func<TIn, TAcc, TAcc> _add;
    private readonly Func<TAcc, TAcc, TAcc> _merge;
    private readonly ValueState<TAcc> _accumulators;
    private TIn _record = default!;

    /// <param name="create">A new window's accumulator.</param>
    /// <param name="add">The accumulator after one more record (it may change the given one and return it).</param>
    /// <param name="merge">The accumulator of two merged windows.</param>
    public AggregateWindowContents(OperatorSetup setup, Func<TAcc> create, Func<TIn, TAcc, TAcc> add, Func<TAcc, TAcc, TAcc> merge)
        : base(setup)
    {
        _create = create;
        _add = add;
        _merge = merge;
        _accumulators = Backend.GetValueState(new ValueStateDescriptor<TAcc>(StateName));
    }

    public override bool HasContents => _accumulators.HasValue;

    public override void Add(TIn value)
    {
        _record = value;
        _accumulators.Apply(this);
        _record = default!;
    }

    public override bool TryGet(out TAcc contents) => _accumulators.TryGetValue(out contents);

    public override void Clear() => _accumulators.Clear();

    public override void Merge(TKey key, IReadOnlyList<TimeWindow> sources, TimeWindow target)
    {
        var hasContents = false;
        TAcc combined = default!;
        foreach (var source in sources)
        {
            Select(key, source);
            if (_accumulators.TryGetValue(out var accumulator))
            {
                combined = hasContents ? _merge(combined, accumulator) : accumulator;
                hasContents = true;
                _accumulators.Clear();
            }
        }

        if (hasContents)
        {
            Select(key, target);
            _accumulators.Update(combined);
        }
    }

    /// <summary>A new window's accumulator after the record being added.</summary>
    TAcc IValueUpdate<TAcc>.Initial() => _add(_record, _create());

    /// <summary>The accumulator after the record being added.</summary>
    TAcc IValueUpdate<TAcc>.Next(TAcc current) => _add(_record, current);

    protected override void RestoreDictionaryLayout(byte[] section, int maxParallelism, (int First, int Last) keyGroupRange) =>
        KeyGroupedStateSnapshot.Restore(section, maxParallelism, keyGroupRange, Serializers.Default<TKey>(), new WindowEntrySerializer<TAcc>(Serializers.Default<TAcc>()), (key, entry) =>
        {
            Select(key, entry.Window);
            _accumulators.Update(entry.Value);
        });
}
