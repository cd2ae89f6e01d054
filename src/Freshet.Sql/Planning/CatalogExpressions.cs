using Freshet.Sql.Binding;
using Freshet.Sql.Catalog;
using Freshet.Sql.Parsing;
using Freshet.Sql.Runtime;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Planning;

/// <summary>
/// Binds the expressions a catalog table stores as text (computed columns, the WATERMARK) for the planner. The
/// catalog validated them when the table was created, so binding them again cannot fail for a table made by
/// CREATE TABLE. Pure.
/// </summary>
internal static class CatalogExpressions
{
    /// <summary>
    /// The expression of each column of the table's scan row over the source row (physical and metadata columns in
    /// table order): a column reference for stored columns, the bound expression for computed ones.
    /// </summary>
    public static IReadOnlyList<BoundExpression> ScanRow(CatalogTable table)
    {
        var stored = table.Columns.Where(c => c.Kind != CatalogColumnKind.Computed).Select(c => new BoundColumn(c.Name, c.Type)).ToArray();
        var scope = new Scope([new ScopeEntry(table.Name, stored, 0)], new HashSet<string>(StringComparer.Ordinal));
        var expressions = new List<BoundExpression>(table.Columns.Count);
        var next = 0;
        foreach (var column in table.Columns)
        {
            if (column.Kind == CatalogColumnKind.Computed)
            {
                var parsed = SqlParser.ParseExpression(column.Expression!);
                expressions.Add(new ExpressionBinder(scope, new QueryBinder(new SqlCatalog()), Clause.ComputedColumn).Bind(parsed));
            }
            else
            {
                expressions.Add(new BoundColumnReference(next, column.Name) { Type = column.Type });
                next++;
            }
        }

        return expressions;
    }

    /// <summary>
    /// The table's watermark as the engine runs it: the rowtime expression over the source row and the bounded
    /// out-of-orderness. Flink allows any expression; the engine's watermarks are a bounded delay behind the largest
    /// timestamp seen, so <c>rowtime</c> and <c>rowtime - INTERVAL '...'</c> are accepted and anything else is
    /// refused by name.
    /// </summary>
    /// <param name="span">Where the table is read, for errors.</param>
    /// <returns>Null when the table declares no watermark.</returns>
    public static (BoundExpression Rowtime, TimeSpan MaxOutOfOrderness)? Watermark(CatalogTable table, IReadOnlyList<BoundExpression> scanRow, Syntax.SqlSpan span)
    {
        if (table.RowtimeColumn is not { } rowtime)
        {
            return null;
        }

        var index = IndexOf(table, rowtime);
        var column = table.Columns[index];
        var scope = new Scope([new ScopeEntry(table.Name, table.Columns.Select(c => new BoundColumn(c.Name, c.Type)).ToArray(), 0)], new HashSet<string>(StringComparer.Ordinal));
        var bound = new ExpressionBinder(scope, new QueryBinder(new SqlCatalog()), Clause.Watermark).Bind(SqlParser.ParseExpression(column.Watermark!));
        var delay = bound switch
        {
            BoundColumnReference reference when reference.Ordinal == index => TimeSpan.Zero,
            BoundCall { Function: "-", Arguments: [BoundColumnReference reference, BoundLiteral literal] }
                when reference.Ordinal == index && literal.Type.Kind == SqlTypeKind.IntervalDayTime =>
                (TimeSpan)SqlValues.ParseLiteral(literal)!,
            _ => throw new SqlValidationException(
                $"WATERMARK FOR {rowtime} AS {column.Watermark} is not supported: use '{rowtime}' or '{rowtime} - INTERVAL ...' (a bounded delay)", span),
        };
        if (delay < TimeSpan.Zero)
        {
            throw new SqlValidationException($"WATERMARK FOR {rowtime} subtracts a negative interval", span);
        }

        return (scanRow[index], delay);
    }

    private static int IndexOf(CatalogTable table, string column)
    {
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (table.Columns[i].Name == column)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Column '{column}' of table '{table.Name}' not found");
    }
}
