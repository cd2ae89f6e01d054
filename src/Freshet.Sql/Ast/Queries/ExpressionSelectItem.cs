namespace Freshet.Sql.Ast;

/// <summary><c>expr [[AS] alias]</c> in a SELECT list.</summary>
/// <param name="Expression">The value.</param>
/// <param name="Alias">The output column name, or null.</param>
public sealed record ExpressionSelectItem(SqlExpression Expression, Identifier? Alias) : SelectItem;
