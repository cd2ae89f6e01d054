using Freshet.Log;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.Tables;

/// <summary>Writing a table out as upserts (see <see cref="UpsertSinkExtensions"/>).</summary>
public sealed partial class Table<TKey, TValue>
{
    /// <summary>
    /// Writes the table to a topic of an embedded <see cref="LogStore"/> (Kafka Streams' <c>toStream().to(...)</c>):
    /// each insert and update as the key and its new value, each delete as a tombstone. With
    /// <see cref="Sinks.DeliveryGuarantee.ExactlyOnce"/> and checkpoints, a read_committed reader sees every change
    /// once, and the compacted topic holds the table.
    /// </summary>
    public DataStreamSink ToLogTopic(LogStore store, string topic, ISerializer<TKey> keySerializer, ISerializer<TValue> valueSerializer, LogSinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(keySerializer);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        return Changes.SinkToLogTopicAsUpsert(store, topic, row => UpsertSinkExtensions.ToArray(keySerializer, row.Key), row => UpsertSinkExtensions.ToArray(valueSerializer, row.Value), options);
    }

    /// <summary>Writes the table to a Kafka topic as upserts and tombstones; otherwise as <see cref="ToLogTopic"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public DataStreamSink ToKafka(KafkaSinkOptions options, ISerializer<TKey> keySerializer, ISerializer<TValue> valueSerializer)
    {
        ArgumentNullException.ThrowIfNull(keySerializer);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        return Changes.SinkToKafkaAsUpsert(options, row => UpsertSinkExtensions.ToArray(keySerializer, row.Key), row => UpsertSinkExtensions.ToArray(valueSerializer, row.Value));
    }
}
