namespace Freshet.Streaming.Runtime;

/// <summary>
/// Everything an operator subtask learns from the plan when it is created: who it is, the job's sizes, its
/// task's clock and processing-time service, and where its side outputs go. Immutable once built.
/// </summary>
internal sealed class OperatorSetup
{
    public required string Name { get; init; }

    public required int SubtaskIndex { get; init; }

    public required int Parallelism { get; init; }

    /// <summary>Number of key groups.</summary>
    public required int MaxParallelism { get; init; }

    /// <summary>Records per batch.</summary>
    public required int BatchSize { get; init; }

    public required ProcessingTimeService ProcessingTime { get; init; }

    /// <summary>Where keyed state lives (the job's <see cref="StreamEnvironmentOptions.StateBackend"/>).</summary>
    public State.StateBackend StateBackend { get; init; } = State.StateBackend.Heap;

    /// <summary>Targets of this operator's side outputs, by tag id; a tag nobody consumes is absent.</summary>
    public IReadOnlyDictionary<string, OperatorBase> SideOutputs { get; init; } = new Dictionary<string, OperatorBase>();

    /// <summary>The key groups this subtask owns (inclusive), for keyed operators.</summary>
    public (int First, int Last) KeyGroupRange => KeyGroups.RangeOf(SubtaskIndex, MaxParallelism, Parallelism);

    /// <summary>The side-output target for <paramref name="tag"/>, or null when no stream consumes it.</summary>
    public Operator<TSide>? SideOutput<TSide>(OutputTag<TSide> tag) =>
        SideOutputs.TryGetValue(tag.Id, out var target) ? (Operator<TSide>)target : null;
}
