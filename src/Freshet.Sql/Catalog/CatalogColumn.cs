using Freshet.Sql.Typing;

namespace Freshet.Sql.Catalog;

/// <summary>
/// A column of a table or view, as DESCRIBE shows it: name, type (with nullability and time-attribute mark),
/// whether it belongs to the primary key, the computed expression and the watermark expression.
/// </summary>
/// <param name="Name">The column name as declared; names compare case-sensitively.</param>
/// <param name="Type">The column's type.</param>
/// <param name="Kind">Physical, computed or metadata.</param>
public sealed record CatalogColumn(string Name, SqlType Type, CatalogColumnKind Kind)
{
    /// <summary>Whether the column is part of the table's primary key.</summary>
    public bool IsPrimaryKey { get; init; }

    /// <summary>The computed column's expression in canonical SQL, or null.</summary>
    public string? Expression { get; init; }

    /// <summary>The watermark expression in canonical SQL when this is the table's rowtime column, or null.</summary>
    public string? Watermark { get; init; }

    /// <summary>The metadata key (<c>METADATA FROM 'key'</c>), or null for the column name or a non-metadata column.</summary>
    public string? MetadataKey { get; init; }

    /// <summary>Whether a metadata column is read-only (<c>VIRTUAL</c>).</summary>
    public bool IsVirtual { get; init; }

    /// <summary>Whether INSERT writes this column: physical columns and non-virtual metadata columns.</summary>
    public bool IsWritable => Kind == CatalogColumnKind.Physical || (Kind == CatalogColumnKind.Metadata && !IsVirtual);
}
