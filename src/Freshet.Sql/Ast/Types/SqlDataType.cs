namespace Freshet.Sql.Ast;

/// <summary>
/// A data type as written in SQL: <see cref="ScalarType"/>, <see cref="ArrayType"/>, <see cref="MultisetType"/>,
/// <see cref="MapType"/> or <see cref="RowType"/>. Nullability is part of the type, as in Flink.
/// </summary>
public abstract record SqlDataType : SqlNode
{
    /// <summary>Whether the type was declared <c>NOT NULL</c>.</summary>
    public bool NotNull { get; init; }
}
