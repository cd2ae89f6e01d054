namespace Freshet.Sql.Ast;

/// <summary>One <c>name [(columns)] AS (query)</c> of a <c>WITH</c> list.</summary>
/// <param name="Name">The name the query is visible under.</param>
/// <param name="Columns">Column names given to its result; may be empty.</param>
/// <param name="Query">The query.</param>
public sealed record CommonTableExpression(Identifier Name, NodeList<Identifier> Columns, QueryExpression Query) : SqlNode;
