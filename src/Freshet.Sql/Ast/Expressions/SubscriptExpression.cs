namespace Freshet.Sql.Ast;

/// <summary><c>arr[1]</c> (1-based) or <c>map['key']</c>.</summary>
/// <param name="Target">The array or map.</param>
/// <param name="Index">The index or key.</param>
public sealed record SubscriptExpression(SqlExpression Target, SqlExpression Index) : SqlExpression;
