using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>
/// A third state backend, added the way any is: a <see cref="StateBackend"/> subclass creating
/// <see cref="IKeyedStateBackend{TKey}"/>s — here ones that keep their states in the heap backend and record the name of
/// every state an operator creates. It keeps no state as objects of its own, so operators treat it as they treat
/// RocksDB: every window and rolling aggregate keeps its contents in it. Thread-safe.
/// </summary>
internal sealed class RecordingStateBackend : StateBackend
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _created = new();

    /// <summary>"operator/state" for every state created, in any subtask.</summary>
    public IReadOnlyCollection<string> Created => _created;

    internal override KeyedStateSections Sections => Heap.Sections;

    internal override bool KeepsStateAsObjects => false;

    internal override IKeyedStateBackend<TKey> CreateKeyedBackend<TKey>(KeyedStateBackendParameters<TKey> parameters) =>
        new Recording<TKey>(Heap.CreateKeyedBackend(parameters), name => _created.Enqueue(parameters.OperatorName + "/" + name));

    private sealed class Recording<TKey>(IKeyedStateBackend<TKey> inner, Action<string> created) : IKeyedStateBackend<TKey>
        where TKey : notnull
    {
        public ValueState<T> GetValueState<T>(ValueStateDescriptor<T> descriptor) => Record(descriptor, inner.GetValueState(descriptor));

        public ListState<T> GetListState<T>(ListStateDescriptor<T> descriptor) => Record(descriptor, inner.GetListState(descriptor));

        public MapState<TUserKey, TValue> GetMapState<TUserKey, TValue>(MapStateDescriptor<TUserKey, TValue> descriptor)
            where TUserKey : notnull => Record(descriptor, inner.GetMapState(descriptor));

        public ReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor) => Record(descriptor, inner.GetReducingState(descriptor));

        public AggregatingState<TIn, TOut> GetAggregatingState<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> descriptor) =>
            Record(descriptor, inner.GetAggregatingState(descriptor));

        public IEnumerable<TKey> GetKeys(string stateName) => inner.GetKeys(stateName);

        public Func<IReadOnlyList<(string Section, byte[] Bytes)>> Snapshot() => inner.Snapshot();

        public void Restore(RestoredOperatorState restored, (int First, int Last) keyGroupRange) => inner.Restore(restored, keyGroupRange);

        public void Dispose() => inner.Dispose();

        private TState Record<TState>(StateDescriptor descriptor, TState state)
        {
            created(descriptor.Name);
            return state;
        }
    }
}
