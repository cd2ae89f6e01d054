namespace Freshet.Sql.Ast;

/// <summary><c>name type METADATA [FROM 'key'] [VIRTUAL]</c>: a column read from the connector's metadata (a Kafka timestamp, offset, headers).</summary>
/// <param name="Type">The column type.</param>
/// <param name="Key">The metadata key when it differs from the column name, or null.</param>
/// <param name="Virtual">Whether it is read-only (excluded from the sink schema).</param>
public sealed record MetadataColumn(SqlDataType Type, string? Key, bool Virtual) : TableColumn;
