namespace Freshet.Sql.Ast;

/// <summary>
/// A dotted chain of names: <c>price</c>, <c>B.price</c>, <c>bid.dateTime</c>. Whether a leading part names a table
/// or the chain reaches into a ROW column's fields is decided by the binder, which knows the tables in scope.
/// </summary>
/// <param name="Parts">The names, outermost first; never empty.</param>
public sealed record ColumnReference(NodeList<Identifier> Parts) : SqlExpression;
