using Freshet.Streaming.State.Heap;
using Freshet.Streaming.State.RocksDb;

namespace Freshet.Streaming.State;

/// <summary>
/// Where a job keeps keyed state (DESIGN.md decision 6), chosen per job with
/// <see cref="StreamEnvironmentOptions.StateBackend"/>: <see cref="Heap"/> (default; objects in memory, fastest) or
/// <see cref="RocksDb"/> (serialized in an embedded RocksDB per keyed operator subtask, for state larger than memory).
/// Both give the same state API, to user functions and to the engine's own keyed operators (rolling aggregates, window
/// contents). RocksDB values are serialized with <c>Serializers.Default&lt;T&gt;()</c> (JSON for types without a
/// built-in) unless the descriptor names a serializer, so reads return copies: update the state after changing a value
/// read from it.
/// <para>
/// Internally a backend is a factory of <see cref="IKeyedStateBackend{TKey}"/>, one per keyed operator subtask (Flink's
/// <c>StateBackend.createKeyedStateBackend</c>). A further backend (say, one backed by a changelog) is a new sealed
/// subclass overriding <see cref="CreateKeyedBackend{TKey}"/>, <see cref="Sections"/> and
/// <see cref="KeepsStateAsObjects"/>, plus a factory member here and its <see cref="KeyedStateSections"/> in
/// <see cref="KnownSections"/>, so that restores recognise (and, into another backend, refuse by name) what it
/// writes. A backend that keeps its states in another backend's (application mode's changelog backend, which wraps the
/// heap or RocksDB backend and logs every write) instead reuses that backend's sections and needs neither. Operators
/// and <c>KeyedRuntimeContext</c> reach state only through the seam, so neither they nor the existing backends change.
/// </para>
/// Immutable; thread-safe.
/// </summary>
public abstract class StateBackend
{
    private protected StateBackend()
    {
    }

    /// <summary>State on the managed heap (the default).</summary>
    public static StateBackend Heap { get; } = new HeapStateBackend();

    /// <summary>
    /// State in RocksDB, one database per keyed operator subtask under <paramref name="workingDirectory"/> (default: a
    /// <c>freshet-rocksdb</c> folder in the temporary directory). The working databases are scratch space, created
    /// empty and deleted when the job ends: durability comes from checkpoints, which snapshot each database and restore
    /// it by key group at any parallelism. Window contents and rolling aggregates live there too; state time-to-live
    /// has the heap's semantics.
    /// </summary>
    public static StateBackend RocksDb(string? workingDirectory = null) =>
        new RocksDbStateBackend(workingDirectory ?? Path.Combine(Path.GetTempPath(), "freshet-rocksdb"));

    /// <summary>The checkpoint sections of every backend a restore recognises; a new backend adds its own here.</summary>
    internal static IReadOnlyList<KeyedStateSections> KnownSections { get; } = [HeapStateBackend.SectionFormat, RocksDbStateBackend.SectionFormat];

    /// <summary>How this backend names its keyed states' checkpoint sections.</summary>
    internal abstract KeyedStateSections Sections { get; }

    /// <summary>
    /// Whether keyed state lives as objects on the managed heap. Then an operator may keep an equivalent heap layout
    /// of its own where that is faster (the aligned window operator's panes) and still honour the job's choice;
    /// otherwise every operator keeps its keyed contents in the backend.
    /// </summary>
    internal abstract bool KeepsStateAsObjects { get; }

    /// <summary>
    /// The section names, in any known backend, of keyed state <paramref name="stateName"/>: what an operator whose
    /// states have fixed names lists in <c>ICheckpointedOperator.StateSections</c>.
    /// </summary>
    internal static IEnumerable<string> SectionsOfState(string stateName) => KnownSections.SelectMany(format => format.SectionsOf(stateName));

    /// <summary>The section prefixes of every known backend (for operators whose state names are chosen by user functions).</summary>
    internal static IEnumerable<string> SectionPrefixes => KnownSections.SelectMany(static format => format.Prefixes);

    /// <summary>Creates the keyed state of one operator subtask; the caller disposes it when the subtask closes.</summary>
    internal abstract IKeyedStateBackend<TKey> CreateKeyedBackend<TKey>(KeyedStateBackendParameters<TKey> parameters)
        where TKey : notnull;
}
