using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Runtime;

/// <summary>
/// The <see cref="RuntimeContext"/> of a keyed operator subtask: hands out heap state by name and keeps every state
/// it created (<see cref="States"/>) so that snapshots can find them. Task thread only.
/// </summary>
internal sealed class KeyedRuntimeContext<TKey> : RuntimeContext
    where TKey : notnull
{
    private readonly KeyContext<TKey> _key;
    private readonly ProcessingTimeService _processingTime;
    private readonly Dictionary<string, IHeapKeyedState> _states = new(StringComparer.Ordinal);

    public KeyedRuntimeContext(KeyContext<TKey> key, int subtask, int parallelism, ProcessingTimeService processingTime)
    {
        _key = key;
        IndexOfThisSubtask = subtask;
        NumberOfParallelSubtasks = parallelism;
        _processingTime = processingTime;
    }

    public override int IndexOfThisSubtask { get; }

    public override int NumberOfParallelSubtasks { get; }

    /// <summary>
    /// The states created so far, by descriptor name: <see cref="HeapValueState{TKey, T}"/>,
    /// <see cref="HeapListState{TKey, T}"/>, <see cref="HeapMapState{TKey, TUserKey, TValue}"/>,
    /// <see cref="HeapReducingState{TKey, T}"/> or <see cref="HeapAggregatingState{TKey, TIn, TAcc, TOut}"/>.
    /// </summary>
    public IReadOnlyDictionary<string, IHeapKeyedState> States => _states;

    public override ValueState<T> GetState<T>(ValueStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate<HeapValueState<TKey, T>>(descriptor, ttl => new HeapValueState<TKey, T>(_key, descriptor.DefaultValue, descriptor.Name, ttl));
    }

    public override ListState<T> GetListState<T>(ListStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate<HeapListState<TKey, T>>(descriptor, ttl => new HeapListState<TKey, T>(descriptor.Name, _key, ttl)).State;
    }

    public override MapState<TUserKey, TValue> GetMapState<TUserKey, TValue>(MapStateDescriptor<TUserKey, TValue> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate<HeapMapState<TKey, TUserKey, TValue>>(descriptor, ttl => new HeapMapState<TKey, TUserKey, TValue>(descriptor.Name, _key, ttl)).State;
    }

    public override ReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate<HeapReducingState<TKey, T>>(descriptor, ttl => new HeapReducingState<TKey, T>(descriptor.Name, _key, ttl, descriptor.Reduce));
    }

    public override AggregatingState<TIn, TOut> GetAggregatingState<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return GetOrCreate<HeapAggregatingState<TKey, TIn, TAcc, TOut>>(descriptor, ttl => new HeapAggregatingState<TKey, TIn, TAcc, TOut>(descriptor.Name, _key, ttl, descriptor.AggregateFunction));
    }

    private TState GetOrCreate<TState>(StateDescriptor descriptor, Func<StateTtl?, TState> create)
        where TState : class, IHeapKeyedState
    {
        if (_states.TryGetValue(descriptor.Name, out var existing))
        {
            return existing as TState ?? throw new InvalidOperationException($"State '{descriptor.Name}' was already declared as another kind or type of state.");
        }

        var ttl = descriptor.TimeToLive is { } config ? new StateTtl(config, _processingTime) : null;
        var state = create(ttl);
        _states.Add(descriptor.Name, state);
        return state;
    }
}
