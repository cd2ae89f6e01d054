namespace Freshet.Sql.Ast;

/// <summary><c>x IS [NOT] NULL | TRUE | FALSE | UNKNOWN</c>.</summary>
/// <param name="Operand">The tested value.</param>
/// <param name="Test">What it is tested for.</param>
/// <param name="Negated">Whether <c>NOT</c> was written.</param>
public sealed record IsExpression(SqlExpression Operand, IsTest Test, bool Negated) : SqlExpression;
