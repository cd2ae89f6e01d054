using Freshet.Sql.Ast;

namespace Freshet.Sql.Catalog;

/// <summary>A view created by CREATE VIEW: its query (bound again where it is used) and its output columns.</summary>
/// <param name="Name">The view name.</param>
/// <param name="Columns">The output columns, renamed by the view's column list if it has one.</param>
/// <param name="Query">The view's query as parsed.</param>
public sealed record CatalogView(string Name, NodeList<CatalogColumn> Columns, QueryExpression Query)
{
    /// <summary>Names given by <c>CREATE VIEW v (a, b) AS ...</c>; empty when the query's names are used.</summary>
    public NodeList<string> ColumnNames { get; init; } = new([]);

    /// <summary>Whether the view was created TEMPORARY.</summary>
    public bool Temporary { get; init; }
}
