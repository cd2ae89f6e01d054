using Freshet.Sql.Catalog;

namespace Freshet.Sql.Binding;

/// <summary>A read of a catalog table; the output row is the table's columns (computed ones included).</summary>
/// <param name="Table">The table.</param>
public sealed record BoundTableScan(CatalogTable Table) : BoundRelation;
