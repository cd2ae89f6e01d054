namespace Freshet.Streaming.Tables;

/// <summary>Joins of two tables on their shared key (Kafka Streams' KTable–KTable joins).</summary>
public sealed partial class Table<TKey, TValue>
{
    /// <summary>
    /// The inner join with <paramref name="other"/> on the key: a key has a result while both tables have a row for it.
    /// Any change of either row recomputes the result: the first is emitted <c>+I</c>, a changed one as a
    /// <c>-U</c>/<c>+U</c> pair, and it is deleted (<c>-D</c>) when either row is.
    /// </summary>
    /// <param name="other">The other table, on the same key.</param>
    /// <param name="joiner">Makes the result of both rows.</param>
    /// <param name="options">State time-to-live; null keeps state until keys are deleted.</param>
    public Table<TKey, TResult> Join<TOther, TResult>(Table<TKey, TOther> other, Func<TValue, TOther, TResult> joiner, TableJoinOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(joiner);
        return JoinOnKey(other, ChangelogJoinType.Inner, (left, right) => joiner(left!, right!), options, "Table Join");
    }

    /// <summary>
    /// The left join with <paramref name="other"/> on the key: a key has a result while this table has a row for it,
    /// joined with the other table's row or with <c>default</c> when it has none. Results change as in
    /// <see cref="Join{TOther, TResult}"/>; the result is deleted when this table's row is.
    /// </summary>
    public Table<TKey, TResult> LeftJoin<TOther, TResult>(Table<TKey, TOther> other, Func<TValue, TOther?, TResult> joiner, TableJoinOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(joiner);
        return JoinOnKey(other, ChangelogJoinType.Left, (left, right) => joiner(left!, right), options, "Table Left Join");
    }

    /// <summary>
    /// The outer join with <paramref name="other"/> on the key: a key has a result while either table has a row for
    /// it, the missing one passed as <c>default</c>. Results change as in <see cref="Join{TOther, TResult}"/>; the
    /// result is deleted when both rows are.
    /// </summary>
    public Table<TKey, TResult> OuterJoin<TOther, TResult>(Table<TKey, TOther> other, Func<TValue?, TOther?, TResult> joiner, TableJoinOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(joiner);
        return JoinOnKey(other, ChangelogJoinType.Full, joiner, options, "Table Outer Join");
    }

    private Table<TKey, TResult> JoinOnKey<TOther, TResult>(Table<TKey, TOther> other, ChangelogJoinType type, Func<TValue?, TOther?, TResult> joiner, TableJoinOptions? options, string name)
    {
        ArgumentNullException.ThrowIfNull(other);
        var changes = Changes.Connect(other.Changes)
            .KeyBy(static c => c.Row.Key, static c => c.Row.Key)
            .Process(new TableTableJoinFunction<TKey, TValue, TOther, TResult>(type, joiner, options ?? TableJoinOptions.Default))
            .WithName(name);
        return new Table<TKey, TResult>(changes);
    }
}
