namespace Freshet.Sql.Ast;

/// <summary><c>ROW&lt;name type, ...&gt;</c> (also written with parentheses).</summary>
/// <param name="Fields">The fields in order.</param>
public sealed record RowType(NodeList<RowField> Fields) : SqlDataType;
