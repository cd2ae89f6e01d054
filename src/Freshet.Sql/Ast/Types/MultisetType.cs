namespace Freshet.Sql.Ast;

/// <summary><c>MULTISET&lt;t&gt;</c> (also written <c>t MULTISET</c>).</summary>
/// <param name="Element">The element type.</param>
public sealed record MultisetType(SqlDataType Element) : SqlDataType;
