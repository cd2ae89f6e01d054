namespace Freshet.Sql.Ast;

/// <summary>
/// <c>CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name (columns, [WATERMARK ...], [PRIMARY KEY ...]) [COMMENT '...']
/// WITH ('k' = 'v', ...)</c>.
/// </summary>
/// <param name="Name">The table name.</param>
/// <param name="Columns">The columns in order (may be empty when the text declares only a watermark or key; rejecting that is left to binding).</param>
/// <param name="Watermark">The watermark declaration, or null.</param>
/// <param name="PrimaryKey">The primary key, or null.</param>
/// <param name="Options">The connector options; may be empty.</param>
public sealed record CreateTableStatement(
    ObjectName Name,
    NodeList<TableColumn> Columns,
    WatermarkDefinition? Watermark,
    PrimaryKeyDefinition? PrimaryKey,
    NodeList<TableOption> Options) : SqlStatement
{
    /// <summary>Whether <c>TEMPORARY</c> was written.</summary>
    public bool Temporary { get; init; }

    /// <summary>Whether <c>IF NOT EXISTS</c> was written.</summary>
    public bool IfNotExists { get; init; }

    /// <summary>The table's <c>COMMENT '...'</c>, or null.</summary>
    public string? Comment { get; init; }
}
