using Freshet.Streaming.Keys;
using Freshet.Streaming.State;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Operators;

/// <summary>
/// Everything an operator subtask learns from the plan when it is created: who it is, the job's sizes, its
/// task's clock and processing-time service, and where its side outputs go. Immutable once built.
/// </summary>
internal sealed class OperatorSetup
{
    public required string Name { get; init; }

    /// <summary>The operator's stable id in checkpoints (<c>DataStream.Uid</c>); defaults to one derived from the job graph.</summary>
    public string Uid { get; init; } = "";

    /// <summary>The job's name.</summary>
    public string JobName { get; init; } = "job";

    /// <summary>Whether the job takes checkpoints.</summary>
    public bool CheckpointingEnabled { get; init; }

    /// <summary>The state a checkpoint or savepoint holds for <see cref="Uid"/>, when the job was restored and has some.</summary>
    public Checkpoints.RestoredOperatorState? Restored { get; init; }

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
    /// <summary>In an application task: the task's producer (Kafka sinks and repartition writers write through it); null otherwise.</summary>
    public Confluent.Kafka.IProducer<byte[]?, byte[]?>? TaskProducer { get; init; }

    public IReadOnlyDictionary<string, OperatorBase> SideOutputs { get; init; } = new Dictionary<string, OperatorBase>();

    /// <summary>Where keyed operators publish their queryable states; null when the job has none to publish to.</summary>
    public Queryable.QueryableStateRegistry? QueryableStates { get; init; }

    /// <summary>
    /// Which part of a queryable table this subtask holds, out of how many: the subtask index and parallelism, or in
    /// application mode (where each task runs at parallelism 1) the task's partition and the partition count.
    /// </summary>
    public (int Index, int Count) QueryablePart { get; init; }

    /// <summary>The key groups this subtask owns (inclusive), for keyed operators.</summary>
    public (int First, int Last) KeyGroupRange => KeyGroups.RangeOf(SubtaskIndex, MaxParallelism, Parallelism);

    /// <summary>
    /// Creates this subtask's keyed state in the job's <see cref="StateBackend"/>, for an operator that keeps state of
    /// its own (rolling aggregates, window contents); the operator disposes it in <c>Close</c>. Null
    /// <paramref name="keySerializer"/> and <paramref name="keyHash"/> take the defaults of
    /// <see cref="KeyedStateBackendParameters{TKey}"/>.
    /// </summary>
    public IKeyedStateBackend<TKey> CreateKeyedStateBackend<TKey>(KeyContext<TKey> key, Serialization.ISerializer<TKey>? keySerializer = null, Func<TKey, int>? keyHash = null)
        where TKey : notnull =>
        StateBackend.CreateKeyedBackend(new KeyedStateBackendParameters<TKey>
        {
            Key = key,
            KeySerializer = keySerializer ?? Serialization.Serializers.Default<TKey>(),
            KeyHash = keyHash ?? KeyedStateBackendParameters<TKey>.StableKeyHash,
            MaxParallelism = MaxParallelism,
            ProcessingTime = ProcessingTime,
            OperatorName = Name,
            OperatorUid = Uid,
            SubtaskIndex = SubtaskIndex,
        });

    /// <summary>The side-output target for <paramref name="tag"/>, or null when no stream consumes it.</summary>
    public Operator<TSide>? SideOutput<TSide>(OutputTag<TSide> tag) =>
        SideOutputs.TryGetValue(tag.Id, out var target) ? (Operator<TSide>)target : null;
}
