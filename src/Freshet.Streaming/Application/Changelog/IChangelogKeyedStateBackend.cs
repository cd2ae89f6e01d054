namespace Freshet.Streaming.Application.Changelog;

/// <summary>
/// The changelog side of one operator subtask's keyed state (<see cref="ChangelogKeyedStateBackend{TKey}"/>), without
/// its key type: what a task's commit drains into the changelog topics and what a restore or a standby replica applies
/// from them. Bytes only: no Kafka client here. Task thread only (the thread that processes the subtask's records),
/// like the keyed state itself.
/// </summary>
internal interface IChangelogKeyedStateBackend
{
    /// <summary>The operator's name, as given to the state backend (not unique in a job: two windows may share one).</summary>
    string OperatorName { get; }

    /// <summary>The operator's stable id, unique in the job (<see cref="State.KeyedStateBackendParameters{TKey}.OperatorUid"/>): what its changelog topics are named after.</summary>
    string OperatorUid { get; }

    /// <summary>The subtask's index.</summary>
    int SubtaskIndex { get; }

    /// <summary>Whether any state was written since the last <see cref="DrainChanges"/>.</summary>
    bool HasChanges { get; }

    /// <summary>
    /// The names of states with changes applied by <see cref="ApplyChange"/> that wait for their state to be created (an
    /// operator creates its states lazily; a name that stays here belongs to no state of the running job).
    /// </summary>
    IReadOnlyCollection<string> PendingStateNames { get; }

    /// <summary>
    /// At a commit: for each state with writes since the previous drain (in the order the states were created), every
    /// key written, once, with its whole current contents, or a tombstone when the state holds nothing for it now; then
    /// forgets those writes. Nothing is forgotten when it throws (a serializer failed): the next drain tries again.
    /// Empty when nothing changed. Reads of the inner states; see <see cref="ChangelogStateBackend"/> for time-to-live.
    /// </summary>
    IReadOnlyList<ChangelogStateChanges> DrainChanges();

    /// <summary>
    /// Restore (or a standby's catch-up): makes state <paramref name="stateName"/>'s contents for the key in
    /// <paramref name="key"/> exactly <paramref name="value"/>, or removes them when it is null (a tombstone), without
    /// logging it. Apply a changelog partition's records in offset order: later ones win. A state not created yet keeps
    /// the newest change per key until the operator creates it, and gets them then (so restore may run before the
    /// operator's <c>Open</c>); the arrays are kept until then and must not be reused. Throws
    /// <see cref="InvalidDataException"/> naming the state for a key or value that cannot be read (now for keys and
    /// for created states, at creation for pending values), and <see cref="InvalidOperationException"/> for a record
    /// written by another kind of state under the same name.
    /// </summary>
    void ApplyChange(string stateName, byte[] key, byte[]? value);
}
