namespace Freshet.Sql.Ast;

/// <summary>One item of a SELECT list: <see cref="ExpressionSelectItem"/> or <see cref="StarSelectItem"/>.</summary>
public abstract record SelectItem : SqlNode;
