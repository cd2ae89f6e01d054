namespace Freshet.Sql.Ast;

/// <summary>A query run for its result rows.</summary>
/// <param name="Query">The query.</param>
public sealed record QueryStatement(QueryExpression Query) : SqlStatement;
