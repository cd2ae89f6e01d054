using Freshet.Streaming.State;

namespace Freshet.Streaming.Functions;

/// <summary>
/// Given to a function's <c>Open</c>: which subtask it runs in, and its keyed state. Keyed state exists only in
/// functions of a keyed stream (<see cref="KeyedProcessFunction{TKey, TIn, TOut}"/>); elsewhere the state getters
/// throw <see cref="NotSupportedException"/>. Asking twice for the same name returns the same state; asking for a
/// name already used by another kind or type of state throws <see cref="InvalidOperationException"/>.
/// </summary>
public abstract class RuntimeContext
{
    /// <summary>The 0-based index of this subtask.</summary>
    public abstract int IndexOfThisSubtask { get; }

    /// <summary>The operator's parallelism.</summary>
    public abstract int NumberOfParallelSubtasks { get; }

    /// <summary>The value state named by <paramref name="descriptor"/>, scoped to the key of each call.</summary>
    public abstract ValueState<T> GetState<T>(ValueStateDescriptor<T> descriptor);

    /// <summary>The list state named by <paramref name="descriptor"/>, scoped to the key of each call.</summary>
    public virtual ListState<T> GetListState<T>(ListStateDescriptor<T> descriptor) => throw KeyedStateOnly();

    /// <summary>The map state named by <paramref name="descriptor"/>, scoped to the key of each call.</summary>
    public virtual MapState<TUserKey, TValue> GetMapState<TUserKey, TValue>(MapStateDescriptor<TUserKey, TValue> descriptor)
        where TUserKey : notnull => throw KeyedStateOnly();

    /// <summary>The reducing state named by <paramref name="descriptor"/>, scoped to the key of each call.</summary>
    public virtual ReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor) => throw KeyedStateOnly();

    /// <summary>The aggregating state named by <paramref name="descriptor"/>, scoped to the key of each call.</summary>
    public virtual AggregatingState<TIn, TOut> GetAggregatingState<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> descriptor) => throw KeyedStateOnly();

    private static NotSupportedException KeyedStateOnly() => new("Keyed state is available only in functions of a keyed stream (KeyBy(...).Process(...)).");
}
