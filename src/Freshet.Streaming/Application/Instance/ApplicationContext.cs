using Confluent.Kafka;
using Freshet.Streaming.Application.Membership;
using Freshet.Streaming.Application.Topology;
using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Application.Instance;

/// <summary>
/// What every task of one instance shares: the options, the cut job graph with its task and partition counts, the
/// admin side (<see cref="InternalTopics"/>) and the client settings. Immutable apart from <see cref="Topics"/>'
/// cache; thread-safe.
/// </summary>
internal sealed class ApplicationContext
{
    public ApplicationContext(ApplicationOptions application, StreamEnvironmentOptions environment, ApplicationTopology topology, IReadOnlyList<int> tasksPerSubTopology, IReadOnlyDictionary<string, int> repartitionPartitions, InternalTopics topics)
    {
        Application = application;
        Environment = environment;
        Topology = topology;
        TasksPerSubTopology = tasksPerSubTopology;
        RepartitionPartitions = repartitionPartitions;
        Topics = topics;
        ConsumerConfig = new ConsumerConfig(application.ClientProperties?.ToDictionary() ?? [])
        {
            BootstrapServers = application.BootstrapServers,
            // Under at-least-once nothing the application writes is transactional, so its readers need not wait for
            // the last stable offset (Kafka Streams reads read_uncommitted then too).
            IsolationLevel = IsAtLeastOnce ? IsolationLevel.ReadUncommitted : IsolationLevel.ReadCommitted,
        };
    }

    /// <summary>Whether the application runs at-least-once (<see cref="ApplicationOptions.ProcessingGuarantee"/>): no transactions, offsets committed with the group generation.</summary>
    public bool IsAtLeastOnce => Application.ProcessingGuarantee == DeliveryGuarantee.AtLeastOnce;

    /// <summary>The instance's committer of at-least-once offsets (null under exactly-once); set before any task starts.</summary>
    public GroupOffsetCommitter? OffsetCommitter { get; init; }

    /// <summary>Where the instance's application tasks record the failures that restarted or failed them; null records nothing.</summary>
    public Jobs.JobExceptionHistory? ExceptionHistory { get; init; }

    public ApplicationOptions Application { get; }

    public StreamEnvironmentOptions Environment { get; }

    public ApplicationTopology Topology { get; }

    public IReadOnlyList<int> TasksPerSubTopology { get; }

    public IReadOnlyDictionary<string, int> RepartitionPartitions { get; }

    public InternalTopics Topics { get; }

    /// <summary>
    /// Connection settings for the application's consumers of its internal topics (bootstrap servers, the user's client
    /// properties, and the isolation level of the guarantee: read_committed for exactly-once, read_uncommitted for
    /// at-least-once).
    /// </summary>
    public ConsumerConfig ConsumerConfig { get; }

    /// <summary>How long a request to the cluster (metadata, offsets, a commit) may take before the task fails.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string ApplicationId => Topology.ApplicationId;
}
