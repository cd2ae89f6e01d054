
namespace Freshet.Sql.Binding;

/// <summary>A field of a ROW value (<c>bid.price</c> where <c>bid</c> is a ROW column).</summary>
/// <param name="Target">The ROW value.</param>
/// <param name="Field">The field name.</param>
public sealed record BoundFieldAccess(BoundExpression Target, string Field) : BoundExpression;
