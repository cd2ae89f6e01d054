namespace Freshet.Streaming.State;

/// <summary>
/// How one state backend names the checkpoint sections of its keyed states: <c>&lt;prefix&gt;&lt;state name&gt;</c>,
/// one section per state and subtask, with one of the backend's <see cref="Prefixes"/> (the heap uses <c>state:</c>;
/// RocksDB <c>rocksdb:</c>, and <c>rocksdb-ttl:</c> for states whose stored values carry time-to-live stamps). The
/// bytes of a section are the backend's own, so a section restores only into the backend that wrote it; the prefixes
/// tell a restore which backend that was. Immutable.
/// </summary>
/// <param name="BackendName">The backend's name in messages ("heap", "RocksDB").</param>
/// <param name="Prefixes">Every prefix the backend writes; no two backends share one.</param>
internal sealed record KeyedStateSections(string BackendName, IReadOnlyList<string> Prefixes)
{
    /// <summary>The section names this backend may have written for state <paramref name="stateName"/>.</summary>
    public IEnumerable<string> SectionsOf(string stateName) => Prefixes.Select(prefix => prefix + stateName);
}
