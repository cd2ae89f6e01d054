namespace Freshet.Sql.Ast;

/// <summary>One <c>WHEN condition THEN result</c> of a <see cref="CaseExpression"/>.</summary>
/// <param name="Condition">The condition (searched CASE) or the value compared with the operand (simple CASE).</param>
/// <param name="Result">The result when it matches.</param>
public sealed record WhenClause(SqlExpression Condition, SqlExpression Result) : SqlNode;
