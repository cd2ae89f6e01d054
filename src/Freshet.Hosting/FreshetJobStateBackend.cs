namespace Freshet.Hosting;

/// <summary>The state backends a hosted job's configuration can name (<see cref="FreshetJobOptions.StateBackend"/>).</summary>
public enum FreshetJobStateBackend
{
    /// <summary>Keyed state as objects in memory (<c>StateBackend.Heap</c>).</summary>
    Heap,

    /// <summary>Keyed state in embedded RocksDB instances (<c>StateBackend.RocksDb</c>), for state larger than memory.</summary>
    RocksDb,
}
