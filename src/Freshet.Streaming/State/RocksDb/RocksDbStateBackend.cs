namespace Freshet.Streaming.State.RocksDb;

/// <summary>
/// <see cref="StateBackend.RocksDb"/>: keyed state serialized in one RocksDB database per keyed operator subtask
/// (<see cref="RocksDbKeyedStateBackend{TKey}"/>) under <see cref="WorkingDirectory"/>, checkpointed under
/// <c>rocksdb:&lt;name&gt;</c> (<c>rocksdb-ttl:&lt;name&gt;</c> for states with a time-to-live). Immutable; thread-safe.
/// </summary>
internal sealed class RocksDbStateBackend(string workingDirectory) : StateBackend
{
    /// <summary>The prefix of a RocksDB state's section: <c>rocksdb:&lt;name&gt;</c>.</summary>
    public const string SectionPrefix = "rocksdb:";

    /// <summary>The prefix of a RocksDB state with a time-to-live, whose stored values carry stamps: <c>rocksdb-ttl:&lt;name&gt;</c>.</summary>
    public const string TtlSectionPrefix = "rocksdb-ttl:";

    /// <summary>The sections RocksDB keyed state is checkpointed under.</summary>
    public static KeyedStateSections SectionFormat { get; } = new("RocksDB", [SectionPrefix, TtlSectionPrefix]);

    /// <summary>Where each subtask's working database gets its own directory.</summary>
    public string WorkingDirectory { get; } = workingDirectory;

    internal override KeyedStateSections Sections => SectionFormat;

    internal override bool KeepsStateAsObjects => false;

    internal override IKeyedStateBackend<TKey> CreateKeyedBackend<TKey>(KeyedStateBackendParameters<TKey> parameters) => new RocksDbKeyedStateBackend<TKey>(parameters, WorkingDirectory);

    public override string ToString() => $"RocksDB in {WorkingDirectory}";
}
