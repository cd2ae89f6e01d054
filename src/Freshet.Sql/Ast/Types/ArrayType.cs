namespace Freshet.Sql.Ast;

/// <summary><c>ARRAY&lt;t&gt;</c> (also written <c>t ARRAY</c>).</summary>
/// <param name="Element">The element type.</param>
public sealed record ArrayType(SqlDataType Element) : SqlDataType;
