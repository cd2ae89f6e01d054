using Freshet.Log;

namespace Freshet.Sql;

/// <summary>Where SQL tables live: the embedded log the <c>freshet-log</c> connector reads and writes, and the Kafka
/// cluster the <c>kafka</c> and <c>upsert-kafka</c> connectors use when a table names none.</summary>
public sealed record SqlEnvironmentOptions
{
    /// <summary>The log store of <c>'connector' = 'freshet-log'</c> tables; null when the session has none.</summary>
    public LogStore? LogStore { get; init; }

    /// <summary>The default <c>properties.bootstrap.servers</c> of Kafka tables (host:port list), or null.</summary>
    public string? BootstrapServers { get; init; }
}
