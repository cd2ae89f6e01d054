namespace Freshet.Sql.Ast;

/// <summary><c>x [NOT] BETWEEN low AND high</c>, bounds inclusive.</summary>
/// <param name="Operand">The tested value.</param>
/// <param name="Low">The lower bound.</param>
/// <param name="High">The upper bound.</param>
/// <param name="Negated">Whether <c>NOT</c> was written.</param>
public sealed record BetweenExpression(SqlExpression Operand, SqlExpression Low, SqlExpression High, bool Negated) : SqlExpression;
