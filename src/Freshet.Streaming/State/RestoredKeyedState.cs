using Freshet.Streaming.Checkpoints;

namespace Freshet.Streaming.State;

/// <summary>
/// What a keyed state backend restores from: every old subtask's sections of one operator and the key groups the new
/// subtask owns (each state takes the entries of those key groups from every old subtask's section). Shared by the
/// backends so that refusing state written by another backend reads the same everywhere. Immutable.
/// </summary>
internal sealed class RestoredKeyedState
{
    private readonly RestoredOperatorState _restored;
    private readonly KeyedStateSections _own;

    public RestoredKeyedState(RestoredOperatorState restored, (int First, int Last) keyGroupRange, KeyedStateSections own)
    {
        ArgumentNullException.ThrowIfNull(restored);
        _restored = restored;
        KeyGroupRange = keyGroupRange;
        _own = own;
    }

    /// <summary>The key groups (inclusive) whose entries this subtask restores.</summary>
    public (int First, int Last) KeyGroupRange { get; }

    /// <summary>Section <paramref name="name"/> of every old subtask that has it.</summary>
    public IEnumerable<byte[]> Section(string name) => _restored.Section(name);

    /// <summary>Whether any old subtask has section <paramref name="name"/>.</summary>
    public bool Has(string name) => _restored.Section(name).Any();

    /// <summary>
    /// Fails clearly when state <paramref name="stateName"/> was checkpointed by another backend than the one restoring
    /// it: its bytes are that backend's and would be misread.
    /// </summary>
    public void RequireWrittenByOwnBackend(string stateName)
    {
        foreach (var other in StateBackend.KnownSections)
        {
            if (other.BackendName != _own.BackendName && other.SectionsOf(stateName).Any(Has))
            {
                throw new InvalidOperationException(
                    $"State '{stateName}' was checkpointed with the {other.BackendName} state backend and cannot be restored into the {_own.BackendName} backend; restore it with the backend that wrote it.");
            }
        }
    }
}
