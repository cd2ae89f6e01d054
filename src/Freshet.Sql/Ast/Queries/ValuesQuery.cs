namespace Freshet.Sql.Ast;

/// <summary><c>VALUES (1, 'a'), (2, 'b')</c>: literal rows.</summary>
/// <param name="Rows">The rows; never empty, each never empty.</param>
public sealed record ValuesQuery(NodeList<NodeList<SqlExpression>> Rows) : QueryExpression;
