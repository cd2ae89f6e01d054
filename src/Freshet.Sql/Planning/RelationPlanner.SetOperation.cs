using Freshet.Sql.Binding;

namespace Freshet.Sql.Planning;

internal sealed partial class RelationPlanner
{
    // INTERSECT [ALL] and EXCEPT [ALL]: both sides cast to the common column types and keyed by the whole row; one
    // operator counts each row's copies per side and emits the result's copies as they change (SetOperationFunction).
    private PlannedRelation PlanSetOperation(BoundSetOperation set)
    {
        var left = CastTo(Plan(set.Left), set.Columns);
        var right = CastTo(Plan(set.Right), set.Columns);
        var name = set.Operator.ToString();
        var stream = left.Stream.Connect(right.Stream)
            .KeyBy(static change => change.Row, static change => change.Row)
            .Process(new SetOperationFunction(set.Operator, set.All))
            .WithName(name);
        return new PlannedRelation(stream, set.Columns, ChangelogKind.Updating,
            new PlanNode(name, $"all=[{set.All.ToString().ToLowerInvariant()}], keys=[{string.Join(", ", set.Columns.Select(c => c.Name))}]", PlannedRelation.ModeText(ChangelogKind.Updating), [left.Plan, right.Plan]));
    }
}
