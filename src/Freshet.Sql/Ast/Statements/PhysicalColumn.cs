namespace Freshet.Sql.Ast;

/// <summary><c>name type [NOT NULL]</c>: a column stored in the source.</summary>
/// <param name="Type">The column type (with its nullability).</param>
public sealed record PhysicalColumn(SqlDataType Type) : TableColumn;
