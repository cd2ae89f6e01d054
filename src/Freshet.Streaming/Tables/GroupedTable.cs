using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>
/// A table's rows re-keyed for an aggregation (<see cref="Table{TKey, TValue}.GroupBy"/>; Kafka Streams'
/// <c>KGroupedTable</c>): a changelog of <typeparamref name="TNewValue"/> rows partitioned by their group key. A row's
/// additions are added to its group and its withdrawals retracted, so an update that moves a row to another group
/// retracts it from the old group and adds it to the new one. Like a table, a node of the job graph.
/// </summary>
/// <typeparam name="TNewKey">The group key.</typeparam>
/// <typeparam name="TNewValue">What the aggregation sees of each row.</typeparam>
public sealed class GroupedTable<TNewKey, TNewValue>
    where TNewKey : notnull
{
    private readonly KeyedStream<TNewKey, Change<KeyValuePair<TNewKey, TNewValue>>> _changes;

    internal GroupedTable(KeyedStream<TNewKey, Change<KeyValuePair<TNewKey, TNewValue>>> changes)
    {
        _changes = changes;
    }

    /// <summary>
    /// The table of each group's aggregate (Kafka Streams' <c>KGroupedTable.aggregate</c> with an adder and a
    /// subtractor): see <see cref="ChangelogAggregationExtensions.AggregateChanges"/> for what it emits and keeps. An
    /// update inside one group is a retraction then an addition, so it may emit an intermediate result (as Flink does).
    /// </summary>
    /// <param name="function">Adds and retracts the rows' values.</param>
    /// <param name="accumulatorSerializer">How accumulators are stored (RocksDB, snapshots); null: <see cref="Serializers.Default{T}"/>.</param>
    /// <param name="timeToLive">Expiry of a group's state, or null to keep it until its last row is withdrawn.</param>
    public Table<TNewKey, TOut> Aggregate<TAcc, TOut>(IRetractableAggregateFunction<TNewValue, TAcc, TOut> function, ISerializer<TAcc>? accumulatorSerializer = null, StateTtlConfig? timeToLive = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        var rowFunction = new RowValueAggregate<TNewKey, TNewValue, TAcc, TOut>(function);
        var changes = _changes.AggregateChanges(rowFunction, static (key, result) => new KeyValuePair<TNewKey, TOut>(key, result), accumulatorSerializer, timeToLive);
        return new Table<TNewKey, TOut>(changes);
    }

    /// <summary>The table of each group's row count (Kafka Streams' <c>KGroupedTable.count</c>); a group whose last row leaves is deleted.</summary>
    public Table<TNewKey, long> Count(StateTtlConfig? timeToLive = null) => Aggregate(new CountAggregate<TNewValue>(), Serializers.Int64, timeToLive);
}
