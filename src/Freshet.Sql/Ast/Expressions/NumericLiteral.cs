namespace Freshet.Sql.Ast;

/// <summary>An unsigned number as written: <c>42</c>, <c>0.908</c>, <c>1e-3</c>. A leading minus is a <see cref="UnaryExpression"/>.</summary>
/// <param name="Text">The digits as written.</param>
public sealed record NumericLiteral(string Text) : SqlExpression;
