namespace Freshet.Sql.Ast;

/// <summary>A character string literal; <see cref="Value"/> has its quotes removed and <c>''</c> unescaped.</summary>
/// <param name="Value">The string's content.</param>
public sealed record StringLiteral(string Value) : SqlExpression;
