using Freshet.Sql;
using Freshet.Streaming.Tables;

namespace Freshet.Cli.Sql;

/// <summary>Results as plain text lines, for pipes and scripts: a header, then one line per row or change, with
/// values separated by <c> | </c> and the change's kind first (Flink's tableau mode, without borders).</summary>
internal static class ResultText
{
    public static string Header(IReadOnlyList<SqlColumn> columns, bool withKind) =>
        (withKind ? "op | " : string.Empty) + string.Join(" | ", columns.Select(c => c.Name));

    public static string Line(Change<Row> change, bool withKind) =>
        (withKind ? change.Kind.ToShortString() + " | " : string.Empty) + string.Join(" | ", Values(change.Row));

    public static IEnumerable<string> Values(Row row)
    {
        for (var i = 0; i < row.Arity; i++)
        {
            yield return row[i] is null ? "NULL" : new Row(row[i]).ToString();
        }
    }
}
