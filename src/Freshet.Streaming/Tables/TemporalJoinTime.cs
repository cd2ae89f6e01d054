namespace Freshet.Streaming.Tables;

/// <summary>
/// Which version of the table a stream–table join (<see cref="DataStream{T}.JoinTable{TKey, TValue, TOut}"/>) joins
/// each stream record with (Flink's processing-time and event-time temporal joins).
/// </summary>
public enum TemporalJoinTime
{
    /// <summary>
    /// The table's row as it is when the stream record arrives (Kafka Streams' KStream–KTable join): only table
    /// changes that reached the join before the record are seen. Stream records are not stored, and results are
    /// emitted at once.
    /// </summary>
    ProcessingTime,

    /// <summary>
    /// The table's row as it was at the stream record's event time (Flink's event-time temporal join against a
    /// versioned table): the latest table version whose event time is at most the record's, unless a delete ended it.
    /// Stream records wait in state until the watermark passes their time, so results come out in watermark order and
    /// do not depend on which input arrived first. Both inputs need event times.
    /// </summary>
    EventTime,
}
