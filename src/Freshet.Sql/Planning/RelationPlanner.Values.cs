using Freshet.Sql.Binding;
using Freshet.Sql.Runtime;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

internal sealed partial class RelationPlanner
{
    // VALUES rows are constants: evaluated once, at planning, over an empty row.
    private PlannedRelation PlanValues(BoundValues values)
    {
        var empty = new Row();
        var rows = values.Rows.Select(row => Change.Insert(ExpressionCompiler.CompileProjection(row)(empty))).ToArray();
        var stream = _environment.FromCollection(rows, name: "Values");
        var text = string.Join(", ", rows.Select(r => $"[{r.Row}]"));
        return new PlannedRelation(stream, values.Columns, ChangelogKind.AppendOnly, new PlanNode("Values", $"tuples=[{text}]", "I", []));
    }
}
