using Freshet.Streaming.State;

namespace Freshet.Streaming.Application.Changelog;

/// <summary>
/// The keys one keyed state wrote since its changes were last drained: each key once, however often it was written,
/// so a commit logs one record per changed key. Marking allocates only when the set grows (a key not yet marked);
/// the set keeps its capacity across drains, so steady state allocates nothing. Task thread only.
/// </summary>
internal sealed class ChangelogDirtyKeys<TKey>
    where TKey : notnull
{
    private readonly KeyContext<TKey> _key;
    private readonly HashSet<TKey> _keys = [];

    public ChangelogDirtyKeys(KeyContext<TKey> key)
    {
        _key = key;
    }

    /// <summary>Number of keys marked since the last <see cref="Clear"/>.</summary>
    public int Count => _keys.Count;

    /// <summary>The keys marked (enumerate before <see cref="Clear"/>).</summary>
    public HashSet<TKey> Keys => _keys;

    /// <summary>
    /// Marks the current key, before a write. Outside a keyed call nothing is marked: the write that follows throws,
    /// as the inner state refuses it. Marking before writing means a write that fails half-way is still logged (its
    /// key's contents, whatever they are, go out at the next drain).
    /// </summary>
    public void MarkCurrent()
    {
        if (_key.IsSet)
        {
            _keys.Add(_key.Current);
        }
    }

    /// <summary>Forgets every marked key, keeping the set's capacity.</summary>
    public void Clear() => _keys.Clear();
}
