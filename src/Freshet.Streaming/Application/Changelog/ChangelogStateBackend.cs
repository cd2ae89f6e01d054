using Freshet.Streaming.State;

namespace Freshet.Streaming.Application.Changelog;

/// <summary>
/// The state backend of an application-mode task: the configured backend (<see cref="Inner"/>, heap or RocksDB) with
/// every keyed state logged. Each keyed operator subtask gets a <see cref="ChangelogKeyedStateBackend{TKey}"/> over the
/// inner backend's keyed state, announced to <c>created</c> so the task can drain it at each commit into the changelog
/// topics and fill it from them on restore.
/// <para>
/// <see cref="KeepsStateAsObjects"/> is false even over the heap: an operator may then keep no keyed contents of its
/// own (the aligned window operator's panes), so everything keyed — window contents too — is in backend state and
/// therefore in the changelog. Checkpoint sections are the inner backend's (<see cref="Sections"/>), so the ordinary
/// checkpoint path works unchanged, and a checkpoint moves between this backend and its inner one, and is refused by
/// the other, exactly as between the plain backends.
/// </para>
/// <para>
/// Time-to-live: the inner backend keeps its semantics for processing. The changelog carries contents, not stamps:
/// contents applied from it are written at the restoring task's processing time, so they get a fresh time-to-live
/// (entries may outlive their TTL by up to one TTL across a restore, never expire early), and an entry that expires
/// without being written is not logged (the restored copy expires one TTL after the restore). A drain reads each changed
/// key: expired contents count as none (a tombstone), and with <see cref="StateTtlUpdateType.OnReadAndWrite"/> that
/// read restarts the key's time-to-live like any read, which the key's write within the same commit interval just did.
/// </para>
/// <para>
/// What is logged is what is written through the state API: a value read from heap state and changed in place without
/// being written back is not logged (nor would RocksDB store it); write it back, as the state docs ask. Keyed data an
/// operator keeps outside its keyed backend (timers, the general window operator's merged-session lists and trigger
/// state) is not in the changelog either.
/// </para>
/// Immutable; thread-safe (<c>created</c> is called on the thread that creates each keyed backend).
/// </summary>
internal sealed class ChangelogStateBackend : StateBackend
{
    private readonly Action<IChangelogKeyedStateBackend>? _created;
    private readonly Action<IChangelogKeyedStateBackend>? _disposed;
    private readonly Action<IChangelogKeyedStateBackend, IReadOnlyList<ChangelogStateChanges>>? _drainAtSnapshot;

    /// <param name="inner">Where states live: the job's heap or RocksDB backend.</param>
    /// <param name="created">Told of each keyed backend as it is created (on the operator's thread, before its first state).</param>
    /// <param name="disposed">Told of each keyed backend when its operator disposes it, before its states are released (a last drain is still possible).</param>
    /// <param name="drainAtSnapshot">When set, checkpoints drain each keyed backend's changes into it instead of storing sections (see <see cref="ChangelogKeyedStateBackend{TKey}"/>).</param>
    public ChangelogStateBackend(StateBackend inner, Action<IChangelogKeyedStateBackend>? created = null, Action<IChangelogKeyedStateBackend>? disposed = null, Action<IChangelogKeyedStateBackend, IReadOnlyList<ChangelogStateChanges>>? drainAtSnapshot = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (inner is ChangelogStateBackend)
        {
            throw new ArgumentException("A changelog state backend wraps the heap or RocksDB backend, not another changelog backend.", nameof(inner));
        }

        Inner = inner;
        _created = created;
        _disposed = disposed;
        _drainAtSnapshot = drainAtSnapshot;
    }

    /// <summary>The backend holding the states.</summary>
    public StateBackend Inner { get; }

    internal override KeyedStateSections Sections => Inner.Sections;

    internal override bool KeepsStateAsObjects => false;

    internal override IKeyedStateBackend<TKey> CreateKeyedBackend<TKey>(KeyedStateBackendParameters<TKey> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var backend = new ChangelogKeyedStateBackend<TKey>(Inner.CreateKeyedBackend(parameters), parameters, _disposed, _drainAtSnapshot);
        try
        {
            _created?.Invoke(backend);
        }
        catch
        {
            backend.Dispose();
            throw;
        }

        return backend;
    }

    public override string ToString() => $"{Inner} with a changelog";
}
