namespace Freshet.Sql.Ast;

/// <summary>
/// A query: a <see cref="SelectQuery"/>, a <see cref="SetOperationQuery"/>, or a <see cref="Query"/> that adds
/// <c>WITH</c>, <c>ORDER BY</c> or <c>LIMIT</c> around one of them.
/// </summary>
public abstract record QueryExpression : SqlNode;
