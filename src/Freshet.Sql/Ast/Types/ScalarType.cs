namespace Freshet.Sql.Ast;

/// <summary>A scalar type with its optional parameters: <c>BIGINT</c>, <c>DECIMAL(10, 2)</c>, <c>TIMESTAMP(3)</c>.</summary>
/// <param name="Name">The type.</param>
/// <param name="Precision">The length or precision in parentheses, if written.</param>
/// <param name="Scale">The scale of a <c>DECIMAL</c>, if written.</param>
public sealed record ScalarType(ScalarTypeName Name, int? Precision = null, int? Scale = null) : SqlDataType;
