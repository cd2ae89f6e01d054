using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Windows;

/// <summary>
/// Window contents as the list of a (key, window)'s records, in a list state, for a window function that sees every
/// record: an add appends without reading the list (in RocksDB one merge write), and a firing reads the list once.
/// Task thread only.
/// </summary>
internal sealed class ListWindowContents<TKey, TIn> : WindowContents<TKey, TIn, IReadOnlyList<TIn>>
    where TKey : notnull
{
    private readonly ListState<TIn> _elements;

    public ListWindowContents(OperatorSetup setup)
        : base(setup)
    {
        _elements = Backend.GetListState(new ListStateDescriptor<TIn>(StateName));
    }

    public override bool HasContents => !_elements.IsEmpty;

    public override void Add(TIn value) => _elements.Add(value);

    public override bool TryGet(out IReadOnlyList<TIn> contents)
    {
        contents = _elements.Get();
        return contents.Count > 0;
    }

    public override void Clear() => _elements.Clear();

    public override void Merge(TKey key, IReadOnlyList<TimeWindow> sources, TimeWindow target)
    {
        List<TIn>? combined = null;
        foreach (var source in sources)
        {
            Select(key, source);
            var elements = _elements.Get();
            if (elements.Count > 0)
            {
                (combined ??= []).AddRange(elements);
                _elements.Clear();
            }
        }

        if (combined is not null)
        {
            Select(key, target);
            _elements.AddAll(combined);
        }
    }

    protected override void RestoreDictionaryLayout(byte[] section, int maxParallelism, (int First, int Last) keyGroupRange) =>
        KeyGroupedStateSnapshot.Restore(section, maxParallelism, keyGroupRange, Serializers.Default<TKey>(), new WindowEntrySerializer<List<TIn>>(Serializers.Default<List<TIn>>()), (key, entry) =>
        {
            Select(key, entry.Window);
            _elements.AddAll(entry.Value);
        });
}
