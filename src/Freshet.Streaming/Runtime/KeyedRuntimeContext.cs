using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Runtime;

/// <summary>The <see cref="RuntimeContext"/> of a keyed operator subtask: hands out heap state by name. Task thread only.</summary>
internal sealed class KeyedRuntimeContext<TKey> : RuntimeContext
    where TKey : notnull
{
    private readonly KeyContext<TKey> _key;
    private readonly Dictionary<string, object> _states = new(StringComparer.Ordinal);

    public KeyedRuntimeContext(KeyContext<TKey> key, int subtask, int parallelism)
    {
        _key = key;
        IndexOfThisSubtask = subtask;
        NumberOfParallelSubtasks = parallelism;
    }

    public override int IndexOfThisSubtask { get; }

    public override int NumberOfParallelSubtasks { get; }

    public override ValueState<T> GetState<T>(ValueStateDescriptor<T> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (_states.TryGetValue(descriptor.Name, out var existing))
        {
            return existing as ValueState<T> ?? throw new InvalidOperationException($"State '{descriptor.Name}' was already declared with another type.");
        }

        var state = new HeapValueState<TKey, T>(_key, descriptor.DefaultValue);
        _states.Add(descriptor.Name, state);
        return state;
    }
}
