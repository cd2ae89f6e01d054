using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Operators;

/// <summary>
/// The <see cref="RuntimeContext"/> of a keyed operator subtask: hands out state by name from the subtask's
/// <see cref="IKeyedStateBackend{TKey}"/>, made by the job's <see cref="StateBackend"/>, and forwards snapshots,
/// restores and disposal to it. It knows no backend: where states live, how they are checkpointed and how a restore
/// is checked are the backend's (see <see cref="IKeyedStateBackend{TKey}"/>).
/// <para>Checkpoints: <see cref="CaptureStates"/> gives one section per state, grouped by key group; after
/// <see cref="SetRestored"/> every state — created before or later — is filled from the sections of its name in every
/// old subtask, keeping the key groups this subtask owns, so functions that declare their states in <c>Open</c> or
/// lazily both see them restored.</para>
/// Task thread only.
/// </summary>
internal sealed class KeyedRuntimeContext<TKey> : RuntimeContext, IDisposable
    where TKey : notnull
{
    public KeyedRuntimeContext(KeyContext<TKey> key, int subtask, int parallelism, ProcessingTimeService processingTime)
        : this(key, subtask, parallelism, processingTime, StateBackend.Heap, maxParallelism: 128, operatorName: "operator")
    {
    }

    /// <param name="backend">Where states live: the job's state backend, which creates this subtask's keyed state.</param>
    /// <param name="operatorUid">The operator's stable id (see <see cref="KeyedStateBackendParameters{TKey}.OperatorUid"/>).</param>
    public KeyedRuntimeContext(KeyContext<TKey> key, int subtask, int parallelism, ProcessingTimeService processingTime, StateBackend backend, int maxParallelism, string operatorName, string operatorUid = "")
    {
        ArgumentNullException.ThrowIfNull(backend);
        IndexOfThisSubtask = subtask;
        NumberOfParallelSubtasks = parallelism;
        _key = key;
        Backend = backend.CreateKeyedBackend(new KeyedStateBackendParameters<TKey>
        {
            Key = key,
            MaxParallelism = maxParallelism,
            ProcessingTime = processingTime,
            OperatorName = operatorName,
            OperatorUid = operatorUid,
            SubtaskIndex = subtask,
        });
    }

    private readonly KeyContext<TKey> _key;

    /// <summary>Publishes the states marked queryable (null: this context cannot, e.g. outside <c>KeyedStream.Process</c> or in unit tests).</summary>
    public Queryable.QueryableStatePublisher<TKey>? Queryable { get; init; }

    public override int IndexOfThisSubtask { get; }

    public override int NumberOfParallelSubtasks { get; }

    /// <summary>This subtask's keyed state.</summary>
    public IKeyedStateBackend<TKey> Backend { get; }

    public override ValueState<T> GetState<T>(ValueStateDescriptor<T> descriptor)
    {
        var state = Backend.GetValueState(descriptor);
        if (descriptor.QueryableName is { } tableName)
        {
            var publisher = Queryable ?? throw new NotSupportedException(
                $"State '{descriptor.Name}' is marked queryable as '{tableName}', which only functions of KeyedStream.Process support.");
            publisher.Publish(tableName, descriptor.Name, state, _key, Backend);
        }

        return state;
    }

    public override ListState<T> GetListState<T>(ListStateDescriptor<T> descriptor) => Backend.GetListState(descriptor);

    public override MapState<TUserKey, TValue> GetMapState<TUserKey, TValue>(MapStateDescriptor<TUserKey, TValue> descriptor) => Backend.GetMapState(descriptor);

    public override ReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor) => Backend.GetReducingState(descriptor);

    public override AggregatingState<TIn, TOut> GetAggregatingState<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> descriptor) => Backend.GetAggregatingState(descriptor);

    /// <summary>Makes every state start from <paramref name="restored"/>, keeping the key groups in <paramref name="keyGroupRange"/>. Call before the function's <c>Open</c>.</summary>
    public void SetRestored(RestoredOperatorState restored, (int First, int Last) keyGroupRange) => Backend.Restore(restored, keyGroupRange);

    /// <summary>Synchronous phase of a checkpoint (see <see cref="IKeyedStateBackend{TKey}.Snapshot"/>); call the result exactly once.</summary>
    public Func<IReadOnlyList<(string Section, byte[] Bytes)>> CaptureStates() => Backend.Snapshot();

    /// <summary>The input ended: the queryable states keep their final contents readable (task thread, after the last record and timer).</summary>
    public void PublishFinalQueryableContents() => Queryable?.PublishFinalContents();

    /// <summary>Withdraws the live queryable states, then releases the subtask's state (deletes a RocksDB working database).</summary>
    public void Dispose()
    {
        Queryable?.Release();
        Backend.Dispose();
    }
}
