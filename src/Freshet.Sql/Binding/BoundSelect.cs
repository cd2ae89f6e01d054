using Freshet.Sql.Ast;

namespace Freshet.Sql.Binding;

/// <summary>
/// One SELECT block over its FROM input: filter, grouping, HAVING and projections, all over the input row.
/// Projections and HAVING contain aggregate calls inline; every column they reference outside an aggregate is a
/// GROUP BY key (the binder checks it). <see cref="IsWindowAggregate"/> marks a GROUP BY on window_start and
/// window_end of a window table function.
/// </summary>
/// <param name="Input">The FROM relation, or null for a SELECT without FROM (one row).</param>
/// <param name="Filter">The WHERE condition, or null.</param>
/// <param name="GroupBy">GROUP BY keys; empty for no grouping.</param>
/// <param name="Having">The HAVING condition, or null.</param>
/// <param name="Projections">One expression per output column.</param>
public sealed record BoundSelect(
    BoundRelation? Input,
    BoundExpression? Filter,
    NodeList<BoundExpression> GroupBy,
    BoundExpression? Having,
    NodeList<BoundExpression> Projections) : BoundRelation
{
    /// <summary>Whether the block aggregates (GROUP BY, HAVING, or an aggregate in the SELECT list).</summary>
    public bool IsAggregate { get; init; }

    /// <summary>Whether the aggregation groups by window_start and window_end of a window table function.</summary>
    public bool IsWindowAggregate { get; init; }

    /// <summary>Whether SELECT DISTINCT.</summary>
    public bool Distinct { get; init; }
}
