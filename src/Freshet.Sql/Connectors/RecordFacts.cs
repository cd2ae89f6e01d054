namespace Freshet.Sql.Connectors;

/// <summary>Where a Kafka or log record was read and its metadata, for metadata columns and error locations; headers
/// are made only when a column asks for them.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Offset">The record's offset.</param>
/// <param name="TimestampMs">The record's timestamp, Unix ms.</param>
/// <param name="Headers">Makes the <c>headers</c> map (header key → value bytes; the last of repeated keys wins).</param>
internal readonly record struct RecordFacts(string Topic, int Partition, long Offset, long TimestampMs, Func<Dictionary<object, object?>> Headers)
{
    /// <summary><c>topic/partition offset N</c>, as errors name a record.</summary>
    public string Location => $"{Topic}/{Partition} offset {Offset}";
}
