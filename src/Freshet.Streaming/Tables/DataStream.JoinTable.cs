using Freshet.Streaming.Tables;

namespace Freshet.Streaming;

/// <summary>Joins of a stream with a table (Kafka Streams' KStream–KTable joins, Flink's temporal joins).</summary>
public sealed partial class DataStream<T>
{
    /// <summary>
    /// Joins each record with the table's row for its key, dropping records whose key has no row (an inner join).
    /// Which row: see <see cref="StreamTableJoinOptions.Time"/> — by default the row current when the record arrives;
    /// with <see cref="TemporalJoinTime.EventTime"/> the row valid at the record's event time. Table changes never
    /// change results already emitted. One result per joined record, with the record's event time.
    /// </summary>
    /// <param name="table">The table to look rows up in.</param>
    /// <param name="key">The table key of a record.</param>
    /// <param name="joiner">Makes the result of a record and its table row.</param>
    /// <param name="options">Which table version and state time-to-live; null for processing time and no time-to-live.</param>
    public DataStream<TOut> JoinTable<TKey, TValue, TOut>(Table<TKey, TValue> table, Func<T, TKey> key, Func<T, TValue, TOut> joiner, StreamTableJoinOptions? options = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(joiner);
        return JoinWithTable(table, key, inner: true, (record, row) => joiner(record, row!), options);
    }

    /// <summary>
    /// Joins each record with the table's row for its key, or with <c>default</c> when the key has none (a left
    /// join): one result per record. Otherwise as <see cref="JoinTable{TKey, TValue, TOut}"/>.
    /// </summary>
    public DataStream<TOut> LeftJoinTable<TKey, TValue, TOut>(Table<TKey, TValue> table, Func<T, TKey> key, Func<T, TValue?, TOut> joiner, StreamTableJoinOptions? options = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(joiner);
        return JoinWithTable(table, key, inner: false, joiner, options);
    }

    private DataStream<TOut> JoinWithTable<TKey, TValue, TOut>(Table<TKey, TValue> table, Func<T, TKey> key, bool inner, Func<T, TValue?, TOut> joiner, StreamTableJoinOptions? options)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(key);
        options ??= StreamTableJoinOptions.Default;
        Functions.KeyedCoProcessFunction<TKey, T, Change<KeyValuePair<TKey, TValue>>, TOut> function = options.Time switch
        {
            TemporalJoinTime.ProcessingTime => new ProcessingTimeTableJoinFunction<TKey, T, TValue, TOut>(inner, joiner, options),
            TemporalJoinTime.EventTime => new EventTimeTableJoinFunction<TKey, T, TValue, TOut>(inner, joiner, options),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Time, "Unknown temporal join time."),
        };
        return Connect(table.Changes)
            .KeyBy(key, static c => c.Row.Key)
            .Process(function)
            .WithName(inner ? "Stream-Table Join" : "Stream-Table Left Join");
    }
}
