using Freshet.Streaming.Planning;

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

    private static Transformation Add(List<Transformation> nodes, Transformation node)
    {
        nodes.Add(node);
        return node;
    }
}
