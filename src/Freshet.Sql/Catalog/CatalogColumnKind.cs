namespace Freshet.Sql.Catalog;

/// <summary>How a table column gets its value.</summary>
public enum CatalogColumnKind
{
    /// <summary>Read from (and written to) the connector's records.</summary>
    Physical,
    /// <summary>Computed from other columns by an expression (<c>c AS expr</c>); not written by INSERT.</summary>
    Computed,
    /// <summary>Connector metadata such as a record's timestamp (<c>METADATA</c>); written by INSERT unless VIRTUAL.</summary>
    Metadata,
}
