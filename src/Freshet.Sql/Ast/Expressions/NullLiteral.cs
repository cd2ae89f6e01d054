namespace Freshet.Sql.Ast;

/// <summary><c>NULL</c>.</summary>
public sealed record NullLiteral : SqlExpression;
