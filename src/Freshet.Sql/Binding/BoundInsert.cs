using Freshet.Sql.Ast;
using Freshet.Sql.Catalog;

namespace Freshet.Sql.Binding;

/// <summary>
/// <c>INSERT INTO table SELECT ...</c>: <see cref="Values"/> has one expression per writable column of the target
/// (<see cref="CatalogColumn.IsWritable"/>), in table order, over the query's output row; columns not listed in the INSERT get NULL, and values of another
/// type an implicit <see cref="BoundCast"/>.
/// </summary>
/// <param name="Target">The target table.</param>
/// <param name="Query">The query producing the rows.</param>
/// <param name="Values">One expression per writable column of <paramref name="Target"/>.</param>
public sealed record BoundInsert(CatalogTable Target, BoundRelation Query, NodeList<BoundExpression> Values) : BoundStatement;
