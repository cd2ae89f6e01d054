using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Planning;

internal sealed partial class RelationPlanner
{
    // UNION ALL merges the two streams, each first cast to the union's column types; UNION then keeps one row per
    // distinct value.
    private PlannedRelation PlanUnion(BoundUnion union)
    {
        var left = CastTo(Plan(union.Left), union.Columns);
        var right = CastTo(Plan(union.Right), union.Columns);
        var changelog = left.Changelog == ChangelogKind.AppendOnly && right.Changelog == ChangelogKind.AppendOnly ? ChangelogKind.AppendOnly : ChangelogKind.Updating;
        var all = new PlannedRelation(left.Stream.Union(right.Stream).WithName("Union"), union.Columns, changelog,
            new PlanNode("Union", $"all=[{union.All.ToString().ToLowerInvariant()}]", PlannedRelation.ModeText(changelog), [left.Plan, right.Plan]));
        return union.All ? all : Distinct(all, union.Columns);
    }

    // ORDER BY an ascending time attribute without LIMIT is the order a stream already has; with a LIMIT, a sort is
    // a Top-N of the whole result (RelationPlanner.Rank.cs).
    private PlannedRelation PlanSort(BoundSort sort)
    {
        if (sort.Limit is null && sort.Keys is [{ Descending: false, Expression: var key }] && key.Type.TimeAttribute != TimeAttributeKind.None)
        {
            return Plan(sort.Input) with { Columns = sort.Columns };
        }

        return sort.Limit is null
            ? throw new SqlValidationException("ORDER BY on a streaming query must be an ascending time attribute, or have a LIMIT (Top-N)", sort.Span)
            : PlanSortLimit(sort);
    }

    private static PlannedRelation CastTo(PlannedRelation input, NodeList<BoundColumn> columns)
    {
        var projections = new BoundExpression[columns.Count];
        var changed = false;
        for (var i = 0; i < columns.Count; i++)
        {
            BoundExpression reference = new BoundColumnReference(i, input.Columns[i].Name) { Type = input.Columns[i].Type };
            if (Normal(input.Columns[i].Type) != Normal(columns[i].Type))
            {
                reference = new BoundCast(reference, Try: false) { Type = columns[i].Type };
                changed = true;
            }

            projections[i] = reference;
        }

        return changed ? Calc(input, null, new(projections), columns) : input;
    }

    private static SqlType Normal(SqlType type) => type.WithNullable(true).WithoutTimeAttribute();
}
