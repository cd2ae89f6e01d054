namespace Freshet.Sql.Ast;

/// <summary>
/// A field of a ROW value that is not a plain name chain: <c>(t.r).f</c>, <c>arr[1].f</c>, <c>f(x).g</c>. A chain of
/// names such as <c>t.r.f</c> is a <see cref="ColumnReference"/>.
/// </summary>
/// <param name="Target">The ROW value.</param>
/// <param name="Field">The field name.</param>
public sealed record FieldAccessExpression(SqlExpression Target, Identifier Field) : SqlExpression;
