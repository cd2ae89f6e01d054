using Freshet.Log;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Logging;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tables;

/// <summary>
/// Tables read from upsert streams (Kafka Streams' <c>builder.table</c> and <c>toTable</c>, Flink's <c>upsert-kafka</c>
/// source): each record is the latest value of its key, a record without a value (a tombstone) deletes the key. A
/// keyed normaliser keeps each key's current value in state and emits the table's normalised changelog: the first
/// value <c>+I</c>; a different value <c>-U(old)</c>, <c>+U(new)</c>; an equal value nothing; a tombstone of a present
/// key <c>-D(old)</c>; a tombstone of an absent key nothing.
/// </summary>
public static class TableSourceExtensions
{
    /// <summary>
    /// A table of a topic of an embedded <see cref="LogStore"/> (a compacted topic, typically): keys and values
    /// deserialized with the given serializers; tombstones delete; records without a key are dropped and counted in
    /// log event 1020. Reading is as <see cref="LogTopicStreamExtensions.FromLogTopic{TKey, TValue}(StreamEnvironment, LogStore, string, ISerializer{TKey}, ISerializer{TValue}, LogSourceOptions?, WatermarkStrategy{KafkaRecord{TKey, TValue}}?, string?)"/>.
    /// </summary>
    /// <param name="timeToLive">Expiry of the normaliser's per-key state; null keeps each key until its tombstone.</param>
    public static Table<TKey, TValue> FromLogTopicAsTable<TKey, TValue>(this StreamEnvironment environment, LogStore store, string topic, ISerializer<TKey> keySerializer, ISerializer<TValue> valueSerializer, LogSourceOptions? options = null, WatermarkStrategy<KafkaRecord<TKey, TValue>>? watermarkStrategy = null, StateTtlConfig? timeToLive = null, string? name = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        name ??= $"Log Table Source: {topic}";
        var records = environment.FromLogTopic(store, topic, keySerializer, valueSerializer, options, watermarkStrategy, name);
        return Normalize(environment, records, name, valueSerializer, timeToLive);
    }

    /// <summary>
    /// A table of a Kafka topic (a compacted topic, typically): keys and values deserialized with the given
    /// serializers; tombstones delete; records without a key are dropped and counted in log event 1020. Reading is as
    /// <see cref="KafkaStreamExtensions.FromKafka{TKey, TValue}(StreamEnvironment, KafkaSourceOptions, ISerializer{TKey}, ISerializer{TValue}, WatermarkStrategy{KafkaRecord{TKey, TValue}}?, string?)"/>.
    /// </summary>
    /// <param name="timeToLive">Expiry of the normaliser's per-key state; null keeps each key until its tombstone.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static Table<TKey, TValue> FromKafkaAsTable<TKey, TValue>(this StreamEnvironment environment, KafkaSourceOptions options, ISerializer<TKey> keySerializer, ISerializer<TValue> valueSerializer, WatermarkStrategy<KafkaRecord<TKey, TValue>>? watermarkStrategy = null, StateTtlConfig? timeToLive = null, string? name = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(valueSerializer);
        name ??= $"Kafka Table Source: {options.Topic}";
        var records = environment.FromKafka(options, keySerializer, valueSerializer, watermarkStrategy, name);
        return Normalize(environment, records, name, valueSerializer, timeToLive);
    }

    /// <summary>
    /// The table of an upsert stream (Kafka Streams' <c>KStream.toTable</c>): each record is the new value of its key;
    /// a null value deletes the key. For a value type <typeparamref name="TValue"/> a value is never null, so nothing
    /// deletes; use a nullable value type (<c>int?</c>) to express deletes. The records of a key are applied in the
    /// order they arrive, so the stream must carry each key's records in one subtask, in order (a source partitioned by
    /// key, or a keyed operator's output; not the output of a rebalance).
    /// </summary>
    /// <param name="valueSerializer">How the normaliser stores values (RocksDB, snapshots); null: <see cref="Serializers.Default{T}"/>.</param>
    /// <param name="timeToLive">Expiry of the normaliser's per-key state; null keeps each key until it is deleted.</param>
    public static Table<TKey, TValue> ToTable<TKey, TValue>(this DataStream<KeyValuePair<TKey, TValue?>> stream, ISerializer<TValue>? valueSerializer = null, StateTtlConfig? timeToLive = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(stream);
        var upserts = stream.ForwardMap("AsUpserts", static pair => new UpsertRecord<TKey, TValue>(pair.Key, pair.Value is not null, pair.Value!));
        return NormalizeUpserts(upserts, valueSerializer ?? Serializers.Default<TValue>(), timeToLive);
    }

    /// <summary>
    /// The table of a changelog keyed by a unique key (Flink's <c>fromChangelogStream</c> with a primary key, a SQL
    /// result keyed by its GROUP BY columns): an insert or update-after sets its key's value, a delete removes the key.
    /// An update-before followed directly by the update-after of the same key is the first half of that update; one
    /// without it (a filter downstream of an aggregation dropped the new row) deletes its key. A key's changes must
    /// come from one subtask in the order they happened, as every keyed operator's output does.
    /// </summary>
    /// <param name="valueSerializer">How the normaliser stores values (RocksDB, snapshots); null: <see cref="Serializers.Default{T}"/>.</param>
    /// <param name="timeToLive">Expiry of the normaliser's per-key state; null keeps each key until it is deleted.</param>
    public static Table<TKey, TValue> ToTable<TKey, TValue>(this DataStream<Change<KeyValuePair<TKey, TValue>>> changes, ISerializer<TValue>? valueSerializer = null, StateTtlConfig? timeToLive = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(changes);

        // Pairs a -U with its +U (a lone -U becomes a -D), in the subtask and order the changes were emitted in.
        var paired = changes.Environment.Add(new OneInputTransformation<Change<KeyValuePair<TKey, TValue>>, Change<KeyValuePair<TKey, TValue>>>(
            changes.Environment.NextId(), "PairUpdates", changes.Parallelism, changes.Node, InputPartitioning.Forward,
            static (setup, next) => new TableFilterOperator<TKey, TValue>(setup, static (_, _) => true, next)));
        var upserts = paired
            .ForwardFilter("DropUpdateBefore", static change => change.Kind != RowKind.UpdateBefore)
            .ForwardMap("AsUpserts", static change => new UpsertRecord<TKey, TValue>(change.Row.Key, change.Kind != RowKind.Delete, change.Row.Value));
        return NormalizeUpserts(upserts, valueSerializer ?? Serializers.Default<TValue>(), timeToLive);
    }

    private static Table<TKey, TValue> Normalize<TKey, TValue>(StreamEnvironment environment, DataStream<KafkaRecord<TKey, TValue>> records, string sourceName, ISerializer<TValue> valueSerializer, StateTtlConfig? timeToLive)
        where TKey : notnull
    {
        // Built once per source; the predicate is shared by the source's subtasks, so the count is atomic.
        var logger = environment.Options.LoggerFactoryOrNull.CreateLogger(StreamingLog.TableCategory);
        long dropped = 0;
        var upserts = records
            .ForwardFilter("DropRecordsWithoutKey", record =>
            {
                if (record.HasKey)
                {
                    return true;
                }

                var total = Interlocked.Increment(ref dropped);
                if ((total & (total - 1)) == 0)
                {
                    logger.TableRecordsWithoutKeyDropped(sourceName, total);
                }

                return false;
            })
            .ForwardMap("AsUpserts", static record => new UpsertRecord<TKey, TValue>(record.Key, record.HasValue, record.Value));
        return NormalizeUpserts(upserts, valueSerializer, timeToLive);
    }

    private static Table<TKey, TValue> NormalizeUpserts<TKey, TValue>(DataStream<UpsertRecord<TKey, TValue>> upserts, ISerializer<TValue> valueSerializer, StateTtlConfig? timeToLive)
        where TKey : notnull
    {
        var changes = upserts.KeyBy(static record => record.Key)
            .Keyed<Change<KeyValuePair<TKey, TValue>>>("UpsertNormalize", (setup, next) => new UpsertNormalizeOperator<TKey, TValue>(setup, valueSerializer, timeToLive, next));
        return new Table<TKey, TValue>(changes);
    }
}
