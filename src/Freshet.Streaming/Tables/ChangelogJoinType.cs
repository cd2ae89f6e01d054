namespace Freshet.Streaming.Tables;

/// <summary>
/// Which rows a changelog join (<see cref="ChangelogJoinExtensions.JoinChanges{TKey, TLeft, TRight, TOut}"/>) emits,
/// as in SQL: <see cref="Inner"/> only matched pairs; the outer kinds also a row of the outer side that has no match,
/// padded with <c>default</c> for the other side; <see cref="Semi"/> and <see cref="Anti"/> only left rows (combined
/// with <c>default</c>), filtered by whether they have a match.
/// </summary>
public enum ChangelogJoinType
{
    /// <summary>Matched pairs only (<c>JOIN</c>).</summary>
    Inner,

    /// <summary>Matched pairs, and left rows without a match padded (<c>LEFT JOIN</c>).</summary>
    Left,

    /// <summary>Matched pairs, and right rows without a match padded (<c>RIGHT JOIN</c>).</summary>
    Right,

    /// <summary>Matched pairs, and rows of either side without a match padded (<c>FULL JOIN</c>).</summary>
    Full,

    /// <summary>Each left row while it has at least one match, once per left copy, whatever the number of matches
    /// (<c>WHERE EXISTS</c> and <c>IN</c> with a subquery, Flink's streaming semi join).</summary>
    Semi,

    /// <summary>Each left row while it has no match (<c>WHERE NOT EXISTS</c> and <c>NOT IN</c>, Flink's streaming
    /// anti join).</summary>
    Anti,
}
