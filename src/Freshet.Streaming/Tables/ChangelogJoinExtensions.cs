namespace Freshet.Streaming.Tables;

/// <summary>Joins of changelog streams (<see cref="Change{T}"/>) partitioned by the join key.</summary>
public static class ChangelogJoinExtensions
{
    /// <summary>
    /// The regular join of two changelogs on their key (SQL's <c>a JOIN b ON a.k = b.k AND condition</c> over dynamic
    /// tables, Flink's <c>StreamingJoinOperator</c>). Each side is a multiset of rows per key; rows must have value
    /// equality (records, tuples) and, on RocksDB, serialize equal rows to equal bytes. The output is a changelog of
    /// <c>+I</c> and <c>-D</c> only: an addition on either side emits <c>+I</c> of its join with each matching stored
    /// row of the other side (once per copy), a withdrawal (<c>-U</c> or <c>-D</c>) emits <c>-D</c> of the same
    /// rows; for outer join types a row without a match is emitted padded with <c>default</c>, withdrawn when it gets
    /// its first match and re-emitted when it loses its last one; a <see cref="ChangelogJoinType.Semi"/> join emits
    /// <c>combine(left, default)</c> for each left row while it has a match, an <see cref="ChangelogJoinType.Anti"/>
    /// join while it has none (<c>+I</c> when it starts to, <c>-D</c> when it stops). The output is not normalised per key (an update of
    /// one input row becomes a <c>-D</c> and a <c>+I</c>), and the state keeps every row of both sides until it is
    /// withdrawn or, with <see cref="ChangelogJoinOptions{TLeft, TRight}.StateTtl"/>, until it expires.
    /// </summary>
    /// <param name="left">The left changelog, keyed by the equi-join key.</param>
    /// <param name="right">The right changelog, keyed by the same key type.</param>
    /// <param name="joinType">Which unmatched rows are emitted padded.</param>
    /// <param name="combine">Makes an output row of a left and a right row; the missing side of a padded row is <c>default</c>.</param>
    /// <param name="condition">The non-equi part of the join condition; null when the key equality is all of it.</param>
    /// <param name="options">Row serializers and state time-to-live; null for the defaults.</param>
    public static DataStream<Change<TOut>> JoinChanges<TKey, TLeft, TRight, TOut>(
        this KeyedStream<TKey, Change<TLeft>> left,
        KeyedStream<TKey, Change<TRight>> right,
        ChangelogJoinType joinType,
        Func<TLeft?, TRight?, TOut> combine,
        Func<TLeft, TRight, bool>? condition = null,
        ChangelogJoinOptions<TLeft, TRight>? options = null)
        where TKey : notnull
        where TLeft : notnull
        where TRight : notnull
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(combine);
        if (!Enum.IsDefined(joinType))
        {
            throw new ArgumentOutOfRangeException(nameof(joinType), joinType, "Unknown join type.");
        }

        return left.Input.Connect(right.Input)
            .KeyBy(left.KeySelector, right.KeySelector)
            .Process(new ChangelogJoinFunction<TKey, TLeft, TRight, TOut>(joinType, combine, condition, options ?? new ChangelogJoinOptions<TLeft, TRight>()))
            .WithName($"{joinType} Changelog Join");
    }
}
