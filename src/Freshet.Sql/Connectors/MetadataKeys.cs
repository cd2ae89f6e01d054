using Freshet.Sql.Catalog;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Connectors;

/// <summary>
/// The record metadata a <c>kafka</c>, <c>upsert-kafka</c> or <c>freshet-log</c> table can expose as
/// <c>METADATA</c> columns, with Flink's keys: <c>timestamp</c> (TIMESTAMP_LTZ(3), or TIMESTAMP(3) read as UTC;
/// writable), <c>offset</c> (BIGINT), <c>partition</c> (INT), <c>topic</c> (STRING) and <c>headers</c>
/// (MAP&lt;STRING, BYTES&gt;), the last four read-only. Stateless; thread-safe.
/// </summary>
internal static class MetadataKeys
{
    public const string Timestamp = "timestamp";
    public const string Offset = "offset";
    public const string Partition = "partition";
    public const string Topic = "topic";
    public const string Headers = "headers";

    public static readonly IReadOnlyList<string> All = [Timestamp, Offset, Partition, Topic, Headers];

    /// <summary>The key a metadata column reads: its <c>FROM</c> key, or its name.</summary>
    public static string KeyOf(CatalogColumn column) => column.MetadataKey ?? column.Name;

    /// <summary>Refuses an unknown key or a column type that does not hold the key's values.</summary>
    public static void Check(CatalogColumn column, string connector)
    {
        var key = KeyOf(column);
        var type = column.Type;
        var fits = key switch
        {
            Timestamp => type.Kind is SqlTypeKind.TimestampLtz or SqlTypeKind.Timestamp,
            Offset => type.Kind == SqlTypeKind.BigInt,
            Partition => type.Kind == SqlTypeKind.Int,
            Topic => type.Kind == SqlTypeKind.Varchar,
            Headers => type.Kind == SqlTypeKind.Map && type.Key!.Kind == SqlTypeKind.Varchar && type.Element!.Kind == SqlTypeKind.Bytes,
            _ => throw new SqlValidationException(
                $"Metadata column '{column.Name}' reads unknown key '{key}'; the {connector} connector has {OptionReader.Quoted(All)}"),
        };
        if (!fits)
        {
            var expected = key switch
            {
                Timestamp => "TIMESTAMP_LTZ(3) or TIMESTAMP(3)",
                Offset => "BIGINT",
                Partition => "INT",
                Topic => "STRING",
                _ => "MAP<STRING, BYTES>",
            };
            throw new SqlValidationException($"Metadata column '{column.Name}' ('{key}') must be {expected}, but is {type}");
        }
    }

    /// <summary>Refuses, for a sink, a metadata column INSERT would write but the connector cannot: all but
    /// <c>timestamp</c> must be VIRTUAL.</summary>
    public static void CheckWritable(CatalogColumn column)
    {
        var key = KeyOf(column);
        if (column.IsWritable && key != Timestamp)
        {
            throw new SqlValidationException(
                $"Metadata column '{column.Name}' ('{key}') cannot be written; declare it VIRTUAL (only 'timestamp' is writable)");
        }
    }

    /// <summary>The value of a <c>timestamp</c> column for a record timestamp in Unix ms.</summary>
    public static object TimestampValue(long timestampMs, SqlType type)
    {
        var instant = DateTimeOffset.FromUnixTimeMilliseconds(timestampMs);
        // Both arms boxed: DateTime converts implicitly to DateTimeOffset, which would otherwise be the result type.
        return type.Kind == SqlTypeKind.Timestamp ? (object)DateTime.SpecifyKind(instant.UtcDateTime, DateTimeKind.Unspecified) : (object)instant;
    }

    /// <summary>The Unix ms of a <c>timestamp</c> column's value, or null for NULL.</summary>
    public static long? TimestampMs(object? value) => value switch
    {
        DateTimeOffset instant => instant.ToUnixTimeMilliseconds(),
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)).ToUnixTimeMilliseconds(),
        _ => null,
    };
}
