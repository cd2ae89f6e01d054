namespace Freshet.Streaming.State;

/// <summary>
/// Where a job keeps keyed state (DESIGN.md decision 6), chosen per job with
/// <see cref="StreamEnvironmentOptions.StateBackend"/>: <see cref="Heap"/> (default; objects in memory, fastest) or
/// <see cref="RocksDb"/> (serialized in an embedded RocksDB per keyed operator subtask, for state larger than memory).
/// Both give the same state API. RocksDB values are serialized with <c>Serializers.Default&lt;T&gt;()</c> (JSON for
/// types without a built-in), so reads return copies: update the state after changing a value read from it.
/// </summary>
public abstract class StateBackend
{
    private protected StateBackend()
    {
    }

    /// <summary>State on the managed heap (the default).</summary>
    public static StateBackend Heap { get; } = new HeapBackend();

    /// <summary>
    /// State in RocksDB, one database per keyed operator subtask under <paramref name="workingDirectory"/> (default: a
    /// <c>freshet-rocksdb</c> folder in the temporary directory). The working databases are scratch space, deleted when
    /// the job ends; durability will come from checkpoints. State time-to-live is not supported on RocksDB yet.
    /// </summary>
    public static StateBackend RocksDb(string? workingDirectory = null) =>
        new RocksDbBackend(workingDirectory ?? Path.Combine(Path.GetTempPath(), "freshet-rocksdb"));

    private sealed class HeapBackend : StateBackend
    {
        public override string ToString() => "heap";
    }

    /// <summary>The RocksDB backend and its working directory.</summary>
    internal sealed class RocksDbBackend(string workingDirectory) : StateBackend
    {
        public string WorkingDirectory { get; } = workingDirectory;

        public override string ToString() => $"RocksDB in {WorkingDirectory}";
    }
}
