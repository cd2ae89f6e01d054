namespace Freshet.Streaming.Connectors;

/// <summary>A record read from Kafka by <see cref="Kafka.KafkaStreamExtensions.FromKafka{TKey, TValue}"/>, with its key and value deserialized.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Offset">The record's offset in the partition.</param>
/// <param name="TimestampMs">The record's Kafka timestamp (Unix ms).</param>
/// <param name="HasKey">False when the record has no key (then <paramref name="Key"/> is <c>default</c>).</param>
/// <param name="Key">The deserialized key.</param>
/// <param name="HasValue">False for a tombstone, a record with no value (then <paramref name="Value"/> is <c>default</c>).</param>
/// <param name="Value">The deserialized value.</param>
public readonly record struct KafkaRecord<TKey, TValue>(string Topic, int Partition, long Offset, long TimestampMs, bool HasKey, TKey Key, bool HasValue, TValue Value);
