namespace Freshet.Sql.Ast;

/// <summary>
/// <c>CASE [operand] WHEN ... THEN ... [ELSE ...] END</c>: simple when <see cref="Operand"/> is set (each WHEN value
/// is compared with it), searched otherwise.
/// </summary>
/// <param name="Operand">The value compared in a simple CASE, or null for a searched CASE.</param>
/// <param name="Whens">The WHEN clauses; never empty.</param>
/// <param name="Else">The ELSE result, or null.</param>
public sealed record CaseExpression(SqlExpression? Operand, NodeList<WhenClause> Whens, SqlExpression? Else) : SqlExpression;
