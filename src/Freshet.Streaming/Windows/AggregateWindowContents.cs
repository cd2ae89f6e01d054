using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Windows;

/// <summary>
/// Window contents as one accumulator per (key, window), in a value state: an add is one read and one write of the
/// accumulator (in RocksDB one deserialization and one serialization). Task thread only.
/// </summary>
internal sealed class AggregateWindowContents<TKey, TIn, TAcc> : WindowContents<TKey, TIn, TAcc>
    where TKey : notnull
{
    private readonly Func<TAcc> _create;
    private readonly Func<TIn, TAcc, TAcc> _add;
    private readonly Func<TAcc, TAcc, TAcc> _merge;
    private readonly ValueState<TAcc> _accumulators;

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

    public override void Add(TIn value) => _accumulators.Update(_add(value, _accumulators.TryGetValue(out var accumulator) ? accumulator : _create()));

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

    protected override void RestoreDictionaryLayout(byte[] section, int maxParallelism, (int First, int Last) keyGroupRange) =>
        KeyGroupedStateSnapshot.Restore(section, maxParallelism, keyGroupRange, Serializers.Default<TKey>(), new WindowEntrySerializer<TAcc>(Serializers.Default<TAcc>()), (key, entry) =>
        {
            Select(key, entry.Window);
            _accumulators.Update(entry.Value);
        });
}
