namespace Freshet.Log.Compaction;

/// <summary>
/// For each record key (compared by bytes), the offset of the latest record carrying it: the
/// "offset map" a compaction pass builds over the whole partition before it rewrites anything.
/// A record is superseded exactly when the map holds a larger offset for its key.
/// Memory: one entry per distinct key, holding a reference to the key bytes (no copy).
/// Not thread-safe: one compaction pass owns it.
/// </summary>
internal sealed class KeyOffsetMap
{
    private readonly Dictionary<byte[], long> _latest = new(ByteArrayComparer.Instance);

    /// <summary>Number of distinct keys.</summary>
    public int Count => _latest.Count;

    /// <summary>Records <paramref name="offset"/> for <paramref name="key"/>; callers feed offsets in increasing order, so the last call wins.</summary>
    public void Put(byte[] key, long offset) => _latest[key] = offset;

    /// <summary>The offset of the latest record with <paramref name="key"/>, if any record with it was seen.</summary>
    public bool TryGetLatest(byte[] key, out long offset) => _latest.TryGetValue(key, out offset);
}
