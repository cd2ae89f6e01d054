namespace Freshet.Sql.Ast;

/// <summary>One field of a <see cref="RowType"/>: <c>name type ['description']</c>.</summary>
/// <param name="Name">The field name.</param>
/// <param name="Type">The field type.</param>
/// <param name="Description">The optional description string.</param>
public sealed record RowField(Identifier Name, SqlDataType Type, string? Description = null) : SqlNode;
