using Freshet.Streaming.Application.Topology;
using Freshet.Streaming.Sinks;

namespace Freshet.Streaming;

/// <summary>
/// Application mode (Kafka Streams' deployment model): every process that runs the job with the same
/// <see cref="ApplicationId"/> joins one group on the cluster at <see cref="BootstrapServers"/> and takes a share of
/// the job's tasks; processes that join later take tasks over, and the tasks of a process that stops or dies move to
/// the others with their state, exactly once (or at least once, <see cref="ProcessingGuarantee"/>). Set on <see cref="StreamEnvironmentOptions.Application"/>. See
/// docs/application-mode.md.
/// </summary>
public sealed record ApplicationOptions
{
    /// <summary>
    /// The application's identity: its consumer group, its transactional ids and the prefix of the topics it creates.
    /// ASCII letters, digits, '.', '_' and '-'; at most 128 characters. Changing it starts the application afresh.
    /// </summary>
    public required string ApplicationId { get; init; }

    /// <summary>Kafka's <c>bootstrap.servers</c> of the cluster the application coordinates through: <c>host:port</c>, comma-separated.</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>
    /// What the application promises about each input record after failures (Kafka Streams' <c>processing.guarantee</c>).
    /// <see cref="DeliveryGuarantee.ExactlyOnce"/> (default): each commit is one Kafka transaction per task covering
    /// its output, repartition and changelog writes and its input offsets; read_committed readers see every result
    /// once. <see cref="DeliveryGuarantee.AtLeastOnce"/>: no transactions; at each commit a task waits until everything
    /// it wrote is acknowledged and only then commits its input offsets to the application's group (OffsetCommit with
    /// the group generation, so an instance that lost its tasks is refused). After a crash the records since the last
    /// commit are processed again: output, repartition topics and changelogs may hold duplicates, and state that
    /// aggregates may count a record twice; nothing is lost. Every instance of an application must use the same
    /// guarantee.
    /// </summary>
    public DeliveryGuarantee ProcessingGuarantee { get; init; } = DeliveryGuarantee.ExactlyOnce;

    /// <summary>
    /// How often each task commits; default 100 ms, whatever <see cref="ProcessingGuarantee"/> (Kafka Streams' default
    /// is 100 ms for exactly-once and 30 s for at-least-once; see docs/application-mode.md for why Freshet keeps one
    /// default). With exactly-once every commit is one Kafka transaction per task covering its output, repartition and
    /// changelog writes and its input offsets, so results become visible to read_committed readers one commit
    /// interval after they are computed. With at-least-once results are visible once written; the interval bounds how
    /// much a crash makes the application process again.
    /// </summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A stable name of this instance (Kafka's <c>group.instance.id</c>, static membership): an instance that restarts
    /// within <see cref="SessionTimeout"/> gets its tasks back without a rebalance. Unique per instance; null (default)
    /// for dynamic membership.
    /// </summary>
    public string? GroupInstanceId { get; init; }

    /// <summary>How long the group waits for a silent instance before moving its tasks; default 45 s (Kafka's default).</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>How often an instance tells the group it is alive; default 3 s. Must be below a third of <see cref="SessionTimeout"/>.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a rebalance waits for every instance to rejoin; default 5 min (Kafka Streams' <c>max.poll.interval.ms</c>).</summary>
    public TimeSpan RebalanceTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Standby replicas per task (Kafka Streams' <c>num.standby.replicas</c>); default 0. Each replica is another
    /// instance — in another process — that follows the task's changelogs and keeps a copy of its state current, so
    /// that when the task's instance dies or leaves, the instance taking it over replays only the last few changelog
    /// records instead of all of them. Replicas cost each holding instance memory for the copy (the task's changelog
    /// contents) and a changelog consumer; they are placed only where there are enough instances.
    /// </summary>
    public int NumStandbyReplicas { get; init; }

    /// <summary>Partitions of the repartition topics the application creates; null (default) for as many as the writing sub-topology has tasks.</summary>
    public int? RepartitionPartitions { get; init; }

    /// <summary>Replication factor of the topics the application creates; default -1, the cluster's default.</summary>
    public short ReplicationFactor { get; init; } = -1;

    /// <summary>Where the instance keeps local state of its tasks; default a <c>freshet-state</c> folder in the temporary directory.</summary>
    public string StateDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "freshet-state");

    /// <summary>Further librdkafka properties for the application's consumers, producers and admin client (e.g. <c>security.protocol</c>).</summary>
    public IReadOnlyDictionary<string, string>? ClientProperties { get; init; }

    /// <summary>Checks the options; called when the environment is created.</summary>
    internal void Validate()
    {
        if (InternalTopicNames.RefusalOfApplicationId(ApplicationId) is { } refusal)
        {
            throw new ArgumentException($"The application id '{ApplicationId}' is not valid: {refusal}.", nameof(ApplicationId));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(BootstrapServers, nameof(BootstrapServers));
        if (!Enum.IsDefined(ProcessingGuarantee))
        {
            throw new ArgumentOutOfRangeException(nameof(ProcessingGuarantee), ProcessingGuarantee, "Unknown processing guarantee.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(CommitInterval, TimeSpan.FromMilliseconds(1), nameof(CommitInterval));

        ArgumentOutOfRangeException.ThrowIfLessThan(SessionTimeout, TimeSpan.FromMilliseconds(100), nameof(SessionTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(HeartbeatInterval, TimeSpan.FromMilliseconds(10), nameof(HeartbeatInterval));
        if (HeartbeatInterval * 3 > SessionTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), $"The heartbeat interval ({HeartbeatInterval.TotalMilliseconds} ms) must be at most a third of the session timeout ({SessionTimeout.TotalMilliseconds} ms), or one late heartbeat would cost the instance its tasks.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(NumStandbyReplicas, nameof(NumStandbyReplicas));
        ArgumentOutOfRangeException.ThrowIfLessThan(RebalanceTimeout, TimeSpan.FromMilliseconds(100), nameof(RebalanceTimeout));
        if (RepartitionPartitions is { } partitions)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1, nameof(RepartitionPartitions));
        }

        if (ReplicationFactor is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(ReplicationFactor), "The replication factor is -1 (the cluster's default) or at least 1.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(StateDirectory, nameof(StateDirectory));
        if (GroupInstanceId is { } instance)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(instance, nameof(GroupInstanceId));
        }

        if (ClientProperties is not null)
        {
            foreach (var name in ClientProperties.Keys)
            {
                if (name is "group.id" or "transactional.id" or "enable.auto.commit" or "isolation.level" or "group.instance.id" or "bootstrap.servers")
                {
                    throw new ArgumentException($"Application mode sets '{name}' itself; remove it from ClientProperties.", nameof(ClientProperties));
                }
            }
        }

        // The group member speaks Kafka itself: refuse security settings it cannot honour now, not at the first join.
        Application.Membership.Security.ClientSecurity.FromProperties(ClientProperties);
    }
}
