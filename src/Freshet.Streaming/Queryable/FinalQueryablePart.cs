namespace Freshet.Streaming.Queryable;

/// <summary>
/// The part of a queryable table held by a subtask whose input ended: its final contents, copied on the task thread
/// when the operator finished (after the last record and timer), so that a bounded job's tables stay queryable after
/// the job completes, for as long as its <see cref="Jobs.JobHandle"/> is referenced. Values are the objects the state
/// held (heap) or deserialized copies (RocksDB). Immutable; thread-safe.
/// </summary>
internal sealed class FinalQueryablePart<TKey, TValue> : IQueryablePart<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _byKey;

    /// <summary>The entries in key order, or null when the key type has no order (scans then refuse).</summary>
    private readonly KeyValuePair<TKey, TValue>[]? _ordered;

    public FinalQueryablePart(List<KeyValuePair<TKey, TValue>> entries, IComparer<TKey>? comparer)
    {
        _byKey = new Dictionary<TKey, TValue>(entries.Count);
        foreach (var (key, value) in entries)
        {
            _byKey[key] = value;
        }

        if (comparer is not null)
        {
            _ordered = [.. entries];
            Array.Sort(_ordered, (a, b) => comparer.Compare(a.Key, b.Key));
        }
    }

    public bool TryGet(TKey key, out TValue value) => _byKey.TryGetValue(key, out value!);

    public List<KeyValuePair<TKey, TValue>> Scan(KeyRange<TKey> range, int limit, IComparer<TKey> comparer)
    {
        var ordered = _ordered ?? throw new InvalidOperationException("The table's final contents were kept without a key order.");
        var start = 0;
        if (range.HasFrom)
        {
            // First entry not below the lower bound (binary search over the sorted keys).
            int low = 0, high = ordered.Length;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (comparer.Compare(ordered[middle].Key, range.From) < 0)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            start = low;
        }

        var entries = new List<KeyValuePair<TKey, TValue>>();
        for (var i = start; i < ordered.Length && entries.Count < limit; i++)
        {
            if (range.HasTo && comparer.Compare(ordered[i].Key, range.To) > 0)
            {
                break;
            }

            entries.Add(ordered[i]);
        }

        return entries;
    }

    public long CountKeys() => _byKey.Count;
}
