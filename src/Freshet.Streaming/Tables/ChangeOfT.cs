namespace Freshet.Streaming.Tables;

/// <summary>
/// One record of a changelog stream: a row and what happens to it (see <see cref="RowKind"/>). A
/// <c>DataStream&lt;Change&lt;T&gt;&gt;</c> is the stream form of a dynamic table whose rows are
/// <typeparamref name="T"/>; <see cref="Table{TKey, TValue}"/> is the keyed form, and SQL's rows flow as
/// <c>Change&lt;Row&gt;</c>. Immutable.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
/// <param name="Kind">What the change does.</param>
/// <param name="Row">The row added or, for <see cref="RowKind.UpdateBefore"/> and <see cref="RowKind.Delete"/>, the row
/// withdrawn (its full old content, so that aggregations can retract it).</param>
public readonly record struct Change<T>(RowKind Kind, T Row)
{
    /// <summary>Whether the change adds its row (<see cref="RowKind.Insert"/> or <see cref="RowKind.UpdateAfter"/>);
    /// otherwise it withdraws it.</summary>
    public bool IsAddition => Kind.IsAddition();

    /// <summary>Flink's form: <c>+I[row]</c>, <c>-U[row]</c>, <c>+U[row]</c>, <c>-D[row]</c>.</summary>
    public override string ToString() => $"{Kind.ToShortString()}[{Row}]";
}
