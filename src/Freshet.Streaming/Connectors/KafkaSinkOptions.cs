namespace Freshet.Streaming.Connectors;

/// <summary>How a Kafka sink (<see cref="DataStream{T}.SinkToKafka{TKey}"/>) connects and writes.</summary>
public sealed record KafkaSinkOptions
{
    /// <summary>Kafka's <c>bootstrap.servers</c>: <c>host:port</c>, comma-separated.</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>The topic to write.</summary>
    public required string Topic { get; init; }

    /// <summary>How long a flush (end of input) waits for every record to be acknowledged; default 60 s.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Further librdkafka producer properties (e.g. <c>acks</c>, <c>linger.ms</c>, <c>compression.type</c>). By
    /// default the sink uses <c>acks=all</c>, idempotence and the Java client's partitioner (murmur2 of the key).
    /// </summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(BootstrapServers, nameof(BootstrapServers));
        ArgumentException.ThrowIfNullOrWhiteSpace(Topic, nameof(Topic));
        ArgumentOutOfRangeException.ThrowIfLessThan(FlushTimeout, TimeSpan.FromMilliseconds(1), nameof(FlushTimeout));
    }
}
