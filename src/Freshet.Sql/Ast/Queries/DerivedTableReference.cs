namespace Freshet.Sql.Ast;

/// <summary>A parenthesised subquery in FROM: <c>(SELECT ...) AS q</c>.</summary>
/// <param name="Query">The subquery.</param>
/// <param name="Alias">The alias, or null.</param>
public sealed record DerivedTableReference(QueryExpression Query, TableAlias? Alias) : TableReference;
