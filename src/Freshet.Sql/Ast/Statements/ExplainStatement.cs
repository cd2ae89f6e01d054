namespace Freshet.Sql.Ast;

/// <summary><c>EXPLAIN [PLAN FOR] statement</c> for a query, an INSERT or a statement set.</summary>
/// <param name="Statement">The statement to explain.</param>
public sealed record ExplainStatement(SqlStatement Statement) : SqlStatement;
