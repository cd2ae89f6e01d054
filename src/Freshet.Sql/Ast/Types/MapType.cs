namespace Freshet.Sql.Ast;

/// <summary><c>MAP&lt;k, v&gt;</c>.</summary>
/// <param name="Key">The key type.</param>
/// <param name="Value">The value type.</param>
public sealed record MapType(SqlDataType Key, SqlDataType Value) : SqlDataType;
