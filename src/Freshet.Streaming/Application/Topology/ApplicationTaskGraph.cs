using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Sources;

namespace Freshet.Streaming.Application.Topology;

/// <summary>
/// The job graph of one application task: a copy of its sub-topology's nodes at parallelism 1 (same uids, so state
/// keeps its names), where each source reads only the task's partition of its topic, each input cut by a repartition
/// topic is fed by a source reading the task's partition of that topic, and each cut output ends in a writer to the
/// repartition topic. <see cref="ExecutionPlanner"/> plans it like any job, so a task runs on the engine's ordinary
/// runtime: chains, gates, watermarks, barriers and snapshots. Built on the thread that starts the task.
/// </summary>
internal static class ApplicationTaskGraph
{
    /// <param name="repartitionPartitions">The partition count of every repartition topic (<see cref="ApplicationTopology.CountTasks"/>).</param>
    public static IReadOnlyList<Transformation> Build(ApplicationTopology topology, int subTopologyId, int partition, IReadOnlyDictionary<string, int> repartitionPartitions, int maxParallelism, IRepartitionEndpoints endpoints)
    {
        var subTopology = topology.SubTopologies[subTopologyId];
        var placement = new TaskPlacement(partition, topology.ApplicationId);
        var nodes = new List<Transformation>();
        var copies = new Dictionary<Transformation, Transformation>();
        foreach (var node in subTopology.Nodes)
        {
            var inputs = new Transformation[node.Inputs.Count];
            for (var i = 0; i < inputs.Length; i++)
            {
                if (subTopology.RepartitionInputs.FirstOrDefault(edge => edge.Consumer == node && edge.InputIndex == i) is { } cut)
                {
                    inputs[i] = Add(nodes, node.CreateRepartitionSource(nodes.Count, i, cut, endpoints));
                }
                else
                {
                    inputs[i] = copies[node.Inputs[i]];
                }
            }

            copies.Add(node, Add(nodes, node.CopyForTask(nodes.Count, inputs, placement)));
        }

        foreach (var edge in subTopology.RepartitionOutputs)
        {
            Add(nodes, edge.Consumer.CreateRepartitionWriter(nodes.Count, edge.InputIndex, copies[edge.Producer], edge, repartitionPartitions[edge.Topic], maxParallelism, partition, endpoints));
        }

        return nodes;
    }

    /// <summary>The changelog topic of every node of a task graph (uid → topic); the nodes that keep nothing never create theirs.</summary>
    public static IReadOnlyDictionary<string, string> ChangelogTopics(string applicationId, IReadOnlyList<Transformation> nodes) =>
        nodes.ToDictionary(static n => n.Uid, n => InternalTopicNames.Changelog(applicationId, n.Uid), StringComparer.Ordinal);

    /// <summary>The changelog topics of the tasks of sub-topology <paramref name="subTopologyId"/>, without planning one (for a standby replica).</summary>
    public static IReadOnlyDictionary<string, string> ChangelogTopics(ApplicationTopology topology, int subTopologyId, IReadOnlyDictionary<string, int> repartitionPartitions, int maxParallelism) =>
        ChangelogTopics(topology.ApplicationId, Build(topology, subTopologyId, 0, repartitionPartitions, maxParallelism, NamingOnlyEndpoints.Instance));

    private static Transformation Add(List<Transformation> nodes, Transformation node)
    {
        nodes.Add(node);
        return node;
    }

    /// <summary>Repartition ends for a graph built only to name its nodes: nothing of it is ever planned or run.</summary>
    private sealed class NamingOnlyEndpoints : IRepartitionEndpoints
    {
        public static readonly NamingOnlyEndpoints Instance = new();

        public SourceReader<T> CreateReader<T>(RepartitionEdge edge, SourceReaderContext context) => throw NotForRunning();

        public Operator<T> CreateWriter<T>(OperatorSetup setup, RepartitionEdge edge, Router<T> router) => throw NotForRunning();

        public Time.WatermarkStrategy<T> ReaderWatermarks<T>() => Time.WatermarkStrategy.DrivenByReader<T>();

        private static InvalidOperationException NotForRunning() => new("This task graph was built to name its changelog topics, not to run.");
    }
}
