using Freshet.Log;
using Freshet.Streaming;

namespace Freshet.Sql.Connectors;

/// <summary>
/// What table connectors need from the job being planned: the environment sources are added to, the embedded log of
/// <c>freshet-log</c> tables, and the Kafka cluster a <c>kafka</c> or <c>upsert-kafka</c> table uses when its options
/// name none (<c>properties.bootstrap.servers</c>). Immutable.
/// </summary>
/// <param name="Environment">The job's environment.</param>
/// <param name="LogStore">The embedded log, or null when the job has none (then <c>freshet-log</c> tables are refused).</param>
/// <param name="DefaultBootstrapServers">Kafka's <c>bootstrap.servers</c> for tables that give none, or null.</param>
internal sealed record SqlConnectorContext(StreamEnvironment Environment, LogStore? LogStore, string? DefaultBootstrapServers)
{
    /// <summary>Where the <c>print</c> connector writes; null for standard output (or standard error with
    /// <c>'standard-error' = 'true'</c>).</summary>
    public TextWriter? PrintOutput { get; init; }

    /// <summary>True when the plan is only shown (EXPLAIN) and never runs: connectors then change nothing outside
    /// the plan (a sink's missing topic is not created).</summary>
    public bool PlanOnly { get; init; }
}
