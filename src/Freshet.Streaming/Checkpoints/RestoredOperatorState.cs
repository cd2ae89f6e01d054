namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// What a checkpoint or savepoint holds for one operator (one uid): the decoded state file of every subtask of the
/// run that wrote it, by old subtask index (null where that subtask stored nothing). Keyed operators read every old
/// subtask's sections and keep the key groups they own; operators whose state belongs to one subtask (a sink's
/// transactions, a generator's position) use <see cref="OwnedBy"/>. Immutable.
/// </summary>
internal sealed class RestoredOperatorState
{
    public RestoredOperatorState(long checkpointId, IReadOnlyList<IReadOnlyDictionary<string, byte[]>?> subtasks)
    {
        CheckpointId = checkpointId;
        Subtasks = subtasks;
    }

    /// <summary>The checkpoint (or savepoint) id the state comes from.</summary>
    public long CheckpointId { get; }

    /// <summary>Sections of each old subtask, by old subtask index; the count is the old parallelism.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, byte[]>?> Subtasks { get; }

    public int OldParallelism => Subtasks.Count;

    /// <summary>The section <paramref name="name"/> of every old subtask that has it.</summary>
    public IEnumerable<byte[]> Section(string name)
    {
        foreach (var sections in Subtasks)
        {
            if (sections is not null && sections.TryGetValue(name, out var bytes))
            {
                yield return bytes;
            }
        }
    }

    /// <summary>
    /// The old subtasks whose non-keyed state goes to new subtask <paramref name="subtask"/> of
    /// <paramref name="parallelism"/>: old subtask i goes to i mod the new parallelism, so scaling down merges and
    /// scaling up leaves the new subtasks beyond the old count empty.
    /// </summary>
    public IEnumerable<(int OldSubtask, IReadOnlyDictionary<string, byte[]> Sections)> OwnedBy(int subtask, int parallelism)
    {
        for (var old = subtask; old < Subtasks.Count; old += parallelism)
        {
            if (Subtasks[old] is { } sections)
            {
                yield return (old, sections);
            }
        }
    }
}
