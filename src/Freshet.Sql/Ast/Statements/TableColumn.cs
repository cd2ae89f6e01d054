namespace Freshet.Sql.Ast;

/// <summary>A column of a <see cref="CreateTableStatement"/>: physical, computed or metadata.</summary>
public abstract record TableColumn : SqlNode
{
    /// <summary>The column name.</summary>
    public required Identifier Name { get; init; }

    /// <summary>The <c>COMMENT '...'</c> text, or null.</summary>
    public string? Comment { get; init; }
}
