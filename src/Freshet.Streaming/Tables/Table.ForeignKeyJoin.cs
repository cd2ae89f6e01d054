namespace Freshet.Streaming.Tables;

/// <summary>Foreign-key joins (Kafka Streams' KIP-213): each row of this table joins the row of another table whose
/// key it references.</summary>
public sealed partial class Table<TKey, TValue>
{
    /// <summary>
    /// The inner foreign-key join: each row of this table joins the row of <paramref name="other"/> whose key is
    /// <paramref name="foreignKey"/> of it; a row has a result while that row exists (a null foreign key never
    /// matches). The result is keyed by this table's key and normalised per key. When a row's foreign key changes, its
    /// old result stays until the new foreign key's row has answered, and is then replaced (<c>-U</c>/<c>+U</c>) or
    /// deleted (<c>-D</c>); when a row of <paramref name="other"/> changes or is deleted, every row referencing it is
    /// updated. Runs in three keyed steps (subscriptions by this table's key, lookups by the foreign key, results by
    /// this table's key again), so results may lag the inputs but are applied in order per key.
    /// </summary>
    /// <param name="other">The referenced table.</param>
    /// <param name="foreignKey">The key of <paramref name="other"/> a row references.</param>
    /// <param name="joiner">Makes the result of a row and the row it references.</param>
    /// <param name="options">State time-to-live; null keeps state until keys are deleted.</param>
    public Table<TKey, TResult> Join<TOtherKey, TOther, TResult>(Table<TOtherKey, TOther> other, Func<TValue, TOtherKey> foreignKey, Func<TValue, TOther, TResult> joiner, TableJoinOptions? options = null)
        where TOtherKey : notnull
    {
        ArgumentNullException.ThrowIfNull(joiner);
        return JoinOnForeignKey(other, foreignKey, inner: true, (left, right) => joiner(left, right!), options);
    }

    /// <summary>
    /// The left foreign-key join: as <see cref="Join{TOtherKey, TOther, TResult}"/>, but every row of this table has a
    /// result, joined with <c>default</c> while the row it references does not exist (or its foreign key is null).
    /// </summary>
    public Table<TKey, TResult> LeftJoin<TOtherKey, TOther, TResult>(Table<TOtherKey, TOther> other, Func<TValue, TOtherKey> foreignKey, Func<TValue, TOther?, TResult> joiner, TableJoinOptions? options = null)
        where TOtherKey : notnull
    {
        ArgumentNullException.ThrowIfNull(joiner);
        return JoinOnForeignKey(other, foreignKey, inner: false, joiner, options);
    }

    private Table<TKey, TResult> JoinOnForeignKey<TOtherKey, TOther, TResult>(Table<TOtherKey, TOther> other, Func<TValue, TOtherKey> foreignKey, bool inner, Func<TValue, TOther?, TResult> joiner, TableJoinOptions? options)
        where TOtherKey : notnull
    {
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(foreignKey);
        options ??= TableJoinOptions.Default;
        var leftChanges = Changes.KeyBy(static c => c.Row.Key)
            .Process(new ForeignKeyJoinSubscriptionFunction<TKey, TValue, TOtherKey>(foreignKey, options))
            .WithName("Foreign Key Subscribe");
        var responses = leftChanges.GetSideOutput(ForeignKeyJoinSubscriptionFunction<TKey, TValue, TOtherKey>.Subscriptions)
            .Connect(other.Changes)
            .KeyBy(static s => s.ForeignKey, static c => c.Row.Key)
            .Process(new ForeignKeyJoinLookupFunction<TKey, TOtherKey, TOther>(options))
            .WithName("Foreign Key Lookup");
        var results = leftChanges.Connect(responses)
            .KeyBy(static l => l.LeftKey, static r => r.LeftKey)
            .Process(new ForeignKeyJoinResultFunction<TKey, TValue, TOther, TResult>(inner, joiner, options))
            .WithName(inner ? "Foreign Key Join" : "Foreign Key Left Join");
        return new Table<TKey, TResult>(results);
    }
}
