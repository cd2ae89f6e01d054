using Freshet.Streaming.State;
using Freshet.Streaming.Tasks;

namespace Freshet.Streaming.Queryable;

/// <summary>
/// Makes the queryable value states of one keyed operator subtask readable through the job's
/// <see cref="QueryableStateRegistry"/>: when the function first asks for a state whose descriptor has a
/// <see cref="ValueStateDescriptor{T}.QueryableName"/>, a <see cref="LiveQueryablePart{TKey, TValue}"/> is attached
/// as the subtask's part of that table; when the input ends (<see cref="PublishFinalContents"/>) it is replaced by the
/// final contents; when the subtask closes otherwise (<see cref="Release"/>) it is removed, so reads say the table is
/// being restored until the next attempt attaches its own. Task thread only.
/// </summary>
internal sealed class QueryableStatePublisher<TKey>
    where TKey : notnull
{
    private readonly QueryableStateRegistry _registry;
    private readonly TaskMailbox _mailbox;
    private readonly string _ownerUid;
    private readonly int _partIndex;
    private readonly int _partCount;
    private readonly int _maxParallelism;
    private readonly Dictionary<string, IPublished> _published = new(StringComparer.Ordinal);

    /// <param name="partIndex">This subtask's part: its subtask index, or in application mode its partition.</param>
    /// <param name="partCount">The number of parts: the operator's parallelism, or in application mode its partition count.</param>
    public QueryableStatePublisher(QueryableStateRegistry registry, TaskMailbox mailbox, string ownerUid, int partIndex, int partCount, int maxParallelism)
    {
        _registry = registry;
        _mailbox = mailbox;
        _ownerUid = ownerUid;
        _partIndex = partIndex;
        _partCount = partCount;
        _maxParallelism = maxParallelism;
    }

    /// <summary>Attaches <paramref name="state"/> as this subtask's part of table <paramref name="tableName"/> (once per name).</summary>
    /// <exception cref="InvalidOperationException">The name is another operator's, or used with other types.</exception>
    public void Publish<TValue>(string tableName, string stateName, ValueState<TValue> state, KeyContext<TKey> key, IKeyedStateBackend<TKey> backend)
    {
        if (_published.ContainsKey(tableName))
        {
            return;
        }

        var table = _registry.Declare<TKey, TValue>(tableName, _ownerUid, _partCount, _maxParallelism);
        var part = new LiveQueryablePart<TKey, TValue>(_mailbox, key, state, backend, stateName, _registry.ReadTimeout);
        table.Attach(_partIndex, part);
        _published.Add(tableName, new Published<TValue>(table, _partIndex, part));
    }

    /// <summary>The input ended: every table's part becomes the subtask's final contents (read now, on the task thread).</summary>
    public void PublishFinalContents()
    {
        foreach (var published in _published.Values)
        {
            published.Finish();
        }
    }

    /// <summary>The subtask closes: its live parts are removed (final contents stay).</summary>
    public void Release()
    {
        foreach (var published in _published.Values)
        {
            published.Release();
        }
    }

    private interface IPublished
    {
        void Finish();

        void Release();
    }

    private sealed class Published<TValue>(QueryableTable<TKey, TValue> table, int index, LiveQueryablePart<TKey, TValue> live) : IPublished
    {
        public void Finish() => table.Replace(index, live, new FinalQueryablePart<TKey, TValue>(live.ReadAllOnTaskThread(), table.Comparer));

        public void Release() => table.Replace(index, live, null);
    }
}
