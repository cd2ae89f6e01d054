namespace Freshet.Sql.Ast;

/// <summary><c>name AS expr</c>: a virtual column computed from the others.</summary>
/// <param name="Expression">The computation.</param>
public sealed record ComputedColumn(SqlExpression Expression) : TableColumn;
