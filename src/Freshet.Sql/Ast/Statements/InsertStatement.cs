namespace Freshet.Sql.Ast;

/// <summary><c>INSERT INTO name [(columns)] query</c>.</summary>
/// <param name="Table">The sink table.</param>
/// <param name="Columns">The target columns; empty for all, in order.</param>
/// <param name="Query">The rows to insert.</param>
public sealed record InsertStatement(ObjectName Table, NodeList<Identifier> Columns, QueryExpression Query) : SqlStatement;
