namespace Freshet.Sql.Ast;

/// <summary>A scalar expression: a literal, a column reference, an operator, a call, a subquery and so on.</summary>
public abstract record SqlExpression : SqlNode;
