using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>
/// Aggregations that produce tables: of a keyed changelog (<see cref="AggregateChanges"/>, what table
/// <c>GroupBy</c> and SQL's <c>GROUP BY</c> run on) and of a keyed append-only stream (<see cref="AggregateToTable"/>,
/// <see cref="CountToTable"/>; Kafka Streams' <c>groupByKey().aggregate/count</c>).
/// </summary>
public static class ChangelogAggregationExtensions
{
    /// <summary>
    /// Aggregates a keyed changelog per key (Flink's group aggregation): per key it keeps the number of rows and an
    /// accumulator; an addition (<c>+I</c>, <c>+U</c>) is added, a withdrawal (<c>-U</c>, <c>-D</c>) retracted. Emits,
    /// normalised per key as <see cref="Table{TKey, TValue}"/> requires: the first row of a group
    /// <c>+I(out)</c>; a changed result <c>-U(old out)</c> then <c>+U(new out)</c>, nothing when the result is equal
    /// (<see cref="EqualityComparer{T}.Default"/> of <typeparamref name="TResult"/>); the withdrawal of a group's last
    /// row <c>-D(last out)</c>, and the group's state is cleared. A withdrawal for a group without state is ignored
    /// (after its state expired, for example). Outputs carry the timestamp of the change that caused them.
    /// </summary>
    /// <param name="stream">The changelog, keyed by group.</param>
    /// <param name="function">Adds and retracts rows; the operator counts rows itself.</param>
    /// <param name="resultSelector">The output row for a group's key and result.</param>
    /// <param name="accumulatorSerializer">How accumulators are stored (RocksDB, snapshots); null: <see cref="Serializers.Default{T}"/>.</param>
    /// <param name="timeToLive">Expiry of a group's state (processing time), or null to keep it until the group's last row is withdrawn.</param>
    public static DataStream<Change<TOut>> AggregateChanges<TKey, T, TAcc, TResult, TOut>(
        this KeyedStream<TKey, Change<T>> stream,
        IRetractableAggregateFunction<T, TAcc, TResult> function,
        Func<TKey, TResult, TOut> resultSelector,
        ISerializer<TAcc>? accumulatorSerializer = null,
        StateTtlConfig? timeToLive = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(resultSelector);
        var serializer = accumulatorSerializer ?? Serializers.Default<TAcc>();
        var keySelector = stream.KeySelector;
        return stream.Keyed<Change<TOut>>("AggregateChanges", (setup, next) =>
            new ChangelogAggregateOperator<TKey, T, TAcc, TResult, TOut>(setup, keySelector, function, serializer, resultSelector, timeToLive, next));
    }

    /// <summary>
    /// The table of each key's aggregate of a stream (Kafka Streams' <c>groupByKey().aggregate</c>): a key's first
    /// record inserts its row, each later record that changes the result updates it (<c>-U</c>, <c>+U</c>).
    /// </summary>
    /// <param name="stream">The records, keyed.</param>
    /// <param name="function">The aggregation.</param>
    /// <param name="accumulatorSerializer">How accumulators are stored (RocksDB, snapshots); null: <see cref="Serializers.Default{T}"/>.</param>
    /// <param name="timeToLive">Expiry of a key's state, or null to keep it.</param>
    public static Table<TKey, TOut> AggregateToTable<TKey, T, TAcc, TOut>(this KeyedStream<TKey, T> stream, IAggregateFunction<T, TAcc, TOut> function, ISerializer<TAcc>? accumulatorSerializer = null, StateTtlConfig? timeToLive = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(function);
        var keySelector = stream.KeySelector;
        var changes = stream.Input.ForwardMap("AsInserts", static record => Change.Insert(record))
            .KeyBy(change => keySelector(change.Row))
            .AggregateChanges(new AppendOnlyAggregate<T, TAcc, TOut>(function), static (key, result) => new KeyValuePair<TKey, TOut>(key, result), accumulatorSerializer, timeToLive);
        return new Table<TKey, TOut>(changes);
    }

    /// <summary>The table of each key's record count (Kafka Streams' <c>groupByKey().count</c>).</summary>
    public static Table<TKey, long> CountToTable<TKey, T>(this KeyedStream<TKey, T> stream, StateTtlConfig? timeToLive = null)
        where TKey : notnull =>
        stream.AggregateToTable(new CountAggregate<T>(), Serializers.Int64, timeToLive);
}
