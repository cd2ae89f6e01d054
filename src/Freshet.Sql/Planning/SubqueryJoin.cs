using Freshet.Sql.Binding;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// A subquery of an expression turned into a join by the planner (never made by the binder): a semi or anti join
/// of <see cref="Input"/> with the subquery's relation for IN, NOT IN, EXISTS and NOT EXISTS (output: the input's
/// columns), or a left join with a relation of at most one row for a scalar subquery (output: the input's columns
/// and the subquery's value, NULL while it has no row).
/// </summary>
/// <param name="Input">The rows the subquery filters or extends.</param>
/// <param name="Subquery">The subquery's relation, decorrelated: its conditions on the outer row are in <see cref="Condition"/>.</param>
/// <param name="Type"><see cref="ChangelogJoinType.Semi"/>, <see cref="ChangelogJoinType.Anti"/>, or <see cref="ChangelogJoinType.Left"/> for a scalar subquery.</param>
/// <param name="Condition">When a subquery row matches an input row, over (input ++ subquery) rows; null for always.</param>
internal sealed record SubqueryJoin(BoundRelation Input, BoundRelation Subquery, ChangelogJoinType Type, BoundExpression? Condition) : BoundRelation;
