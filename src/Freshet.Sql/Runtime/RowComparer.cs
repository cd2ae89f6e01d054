using Freshet.Sql.Binding;

namespace Freshet.Sql.Runtime;

/// <summary>
/// Orders rows by ORDER BY (or OVER ... ORDER BY) keys: each key's expression is evaluated over the row and compared
/// with <see cref="SqlValues.Compare"/>, descending keys reversed; NULLs go where <see cref="BoundSortKey.NullsFirst"/>
/// says, by default first when ascending and last when descending (Flink's default). Ties on every key compare equal.
/// Thread-safe.
/// </summary>
internal sealed class RowComparer : IComparer<Row>
{
    private readonly Func<Row, object?>[] _keys;
    private readonly bool[] _descending;
    private readonly bool[] _nullsFirst;

    public RowComparer(IReadOnlyList<BoundSortKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = new Func<Row, object?>[keys.Count];
        _descending = new bool[keys.Count];
        _nullsFirst = new bool[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            _keys[i] = ExpressionCompiler.Compile(keys[i].Expression);
            _descending[i] = keys[i].Descending;
            _nullsFirst[i] = keys[i].NullsFirstOrDefault;
        }
    }

    /// <inheritdoc/>
    public int Compare(Row? x, Row? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        for (var i = 0; i < _keys.Length; i++)
        {
            var a = _keys[i](x);
            var b = _keys[i](y);
            int order;
            if (a is null || b is null)
            {
                if (a is null && b is null)
                {
                    continue;
                }

                order = (a is null) == _nullsFirst[i] ? -1 : 1;
                return order;
            }

            order = SqlValues.Compare(a, b);
            if (order != 0)
            {
                return _descending[i] ? -order : order;
            }
        }

        return 0;
    }
}
