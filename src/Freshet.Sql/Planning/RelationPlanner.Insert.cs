using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Sql.Connectors;

namespace Freshet.Sql.Planning;

internal sealed partial class RelationPlanner
{
    /// <summary>Plans <c>INSERT INTO</c>: the query, its values in the target's column order, and the target's sink
    /// (an upsert sink for tables with a primary key on a log or Kafka topic, else an append sink).</summary>
    public PlanNode PlanInsert(BoundInsert insert)
    {
        var query = Plan(insert.Query);
        var target = insert.Target;
        var columns = new NodeList<BoundColumn>(target.Columns.Where(c => c.IsWritable).Select(c => new BoundColumn(c.Name, c.Type)));
        var rows = Calc(query, null, insert.Values, columns);
        if (target.IsUpsertSource)
        {
            TableConnectors.CreateUpsertSink(rows.Stream, target, _connectors);
        }
        else
        {
            TableConnectors.CreateAppendSink(rows.Stream, target, _connectors);
        }

        return new PlanNode("Sink", $"table=[{target.Name}], connector=[{target.Connector}], fields=[{string.Join(", ", columns.Select(c => c.Name))}]",
            PlannedRelation.ModeText(rows.Changelog), [rows.Plan]);
    }
}
