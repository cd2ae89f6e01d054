using Freshet.Streaming.State;

namespace Freshet.Streaming.Functions;

/// <summary>Given to a function's <c>Open</c>: which subtask it runs in, and its keyed state.</summary>
public abstract class RuntimeContext
{
    /// <summary>The 0-based index of this subtask.</summary>
    public abstract int IndexOfThisSubtask { get; }

    /// <summary>The operator's parallelism.</summary>
    public abstract int NumberOfParallelSubtasks { get; }

    /// <summary>The value state named by <paramref name="descriptor"/>, scoped to the key of each call.</summary>
    public abstract ValueState<T> GetState<T>(ValueStateDescriptor<T> descriptor);
}
