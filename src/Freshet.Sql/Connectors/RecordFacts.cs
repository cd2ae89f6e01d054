using Freshet.Log.Records;

namespace Freshet.Sql.Connectors;

/// <summary>Where a Kafka or log record was read and its metadata, for metadata columns and error locations. The
/// headers stay in the client's form until a <c>headers</c> column asks for them (<see cref="HeadersMap"/>), so
/// reading a record allocates nothing for them.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Offset">The record's offset.</param>
/// <param name="TimestampMs">The record's timestamp, Unix ms.</param>
/// <param name="LogHeaders">The headers of a log record, or null.</param>
/// <param name="KafkaHeaders">The headers of a Confluent.Kafka record, or null.</param>
internal readonly record struct RecordFacts(string Topic, int Partition, long Offset, long TimestampMs, IReadOnlyList<RecordHeader>? LogHeaders, Confluent.Kafka.Headers? KafkaHeaders)
{
    /// <summary><c>topic/partition offset N</c>, as errors name a record.</summary>
    public string Location => $"{Topic}/{Partition} offset {Offset}";

    /// <summary>The <c>headers</c> column's value: header key → value bytes (the last of repeated keys wins).</summary>
    public Dictionary<object, object?> HeadersMap()
    {
        var map = new Dictionary<object, object?>();
        if (LogHeaders is not null)
        {
            foreach (var header in LogHeaders)
            {
                map[header.Key] = header.Value;
            }
        }

        if (KafkaHeaders is not null)
        {
            foreach (var header in KafkaHeaders)
            {
                map[header.Key] = header.GetValueBytes();
            }
        }

        return map;
    }
}
