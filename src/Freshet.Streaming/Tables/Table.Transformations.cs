using Freshet.Streaming.Operators;
using Freshet.Streaming.Planning;

namespace Freshet.Streaming.Tables;

/// <summary>Transformations of a table into another table: row filters, value maps and re-grouping.</summary>
public sealed partial class Table<TKey, TValue>
{
    /// <summary>
    /// The rows for which <paramref name="predicate"/> holds (Kafka Streams' <c>KTable.filter</c>). A row that stops
    /// passing when it is updated leaves the result as a delete (<c>-D</c> of its old value); a row that starts passing
    /// enters it as an insert. Stateless, chained to the table's operator.
    /// </summary>
    public Table<TKey, TValue> Filter(Func<TKey, TValue, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new Table<TKey, TValue>(Chained<KeyValuePair<TKey, TValue>>("TableFilter", (setup, next) => new TableFilterOperator<TKey, TValue>(setup, predicate, next)));
    }

    /// <summary>
    /// The table with each value replaced by <paramref name="mapper"/>'s result (Kafka Streams' <c>mapValues</c>); keys,
    /// and so the changelog's shape, are unchanged. An update whose mapped values are equal is still emitted as an
    /// update. Stateless, chained to the table's operator.
    /// </summary>
    public Table<TKey, TNew> MapValues<TNew>(Func<TKey, TValue, TNew> mapper)
    {
        ArgumentNullException.ThrowIfNull(mapper);
        return new Table<TKey, TNew>(Chained<KeyValuePair<TKey, TNew>>("TableMapValues", (setup, next) => new MapOperator<Change<KeyValuePair<TKey, TValue>>, Change<KeyValuePair<TKey, TNew>>>(
            setup,
            change => new Change<KeyValuePair<TKey, TNew>>(change.Kind, new KeyValuePair<TKey, TNew>(change.Row.Key, mapper(change.Row.Key, change.Row.Value))),
            next)));
    }

    /// <summary>
    /// Re-keys the table's rows for an aggregation (Kafka Streams' <c>KTable.groupBy</c>): <paramref name="selector"/>
    /// gives each row its group key and the value the aggregation sees. Aggregate the result with
    /// <see cref="GroupedTable{TNewKey, TNewValue}.Aggregate"/> or <see cref="GroupedTable{TNewKey, TNewValue}.Count"/>;
    /// an updated row is retracted from its old group and added to its new one.
    /// </summary>
    public GroupedTable<TNewKey, TNewValue> GroupBy<TNewKey, TNewValue>(Func<TKey, TValue, KeyValuePair<TNewKey, TNewValue>> selector)
        where TNewKey : notnull
    {
        ArgumentNullException.ThrowIfNull(selector);
        var regrouped = Chained<KeyValuePair<TNewKey, TNewValue>>("TableGroupBy", (setup, next) => new MapOperator<Change<KeyValuePair<TKey, TValue>>, Change<KeyValuePair<TNewKey, TNewValue>>>(
            setup,
            change => new Change<KeyValuePair<TNewKey, TNewValue>>(change.Kind, selector(change.Row.Key, change.Row.Value)),
            next));
        return new GroupedTable<TNewKey, TNewValue>(regrouped.KeyBy(static change => change.Row.Key));
    }

    /// <summary>
    /// An operator on <see cref="Changes"/> in the same subtasks (forward, at the table's parallelism), so that every
    /// change of a key stays in the subtask and order it was emitted in.
    /// </summary>
    private DataStream<Change<TRow>> Chained<TRow>(string name, Func<OperatorSetup, Operator<Change<TRow>>, Operator<Change<KeyValuePair<TKey, TValue>>>> factory)
    {
        var node = new OneInputTransformation<Change<KeyValuePair<TKey, TValue>>, Change<TRow>>(Environment.NextId(), name, Changes.Parallelism, Changes.Node, InputPartitioning.Forward, factory);
        return Environment.Add(node);
    }
}
