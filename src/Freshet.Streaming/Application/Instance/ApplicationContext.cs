using Confluent.Kafka;
using Freshet.Streaming.Application.Topology;

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
        };
    }

    public ApplicationOptions Application { get; }

    public StreamEnvironmentOptions Environment { get; }

    public ApplicationTopology Topology { get; }

    public IReadOnlyList<int> TasksPerSubTopology { get; }

    public IReadOnlyDictionary<string, int> RepartitionPartitions { get; }

    public InternalTopics Topics { get; }

    /// <summary>Connection settings for the application's consumers (bootstrap servers and the user's client properties).</summary>
    public ConsumerConfig ConsumerConfig { get; }

    /// <summary>How long a request to the cluster (metadata, offsets, a commit) may take before the task fails.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string ApplicationId => Topology.ApplicationId;
}
