namespace Freshet.Streaming.Connectors.Kafka;

/// <summary>One record of a <see cref="KafkaCommittable"/>, as it will be produced: CreateTime timestamp (Unix ms), key and value bytes (null = none).</summary>
internal readonly record struct BufferedKafkaRecord(long TimestampMs, byte[]? Key, byte[]? Value);
