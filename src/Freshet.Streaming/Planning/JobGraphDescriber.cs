using Freshet.Streaming.Jobs;

namespace Freshet.Streaming.Planning;

/// <summary>
/// Describes a job graph the way the planner will run it (<see cref="ExecutionPlanner"/>): one vertex per chain head —
/// a source, or a node not chained to its input — holding the nodes chained behind it, and one edge per input of each
/// chain head. A vertex's id is its head node's id, the id the planner gives the head's tasks' counters. Pure.
/// </summary>
internal static class JobGraphDescriber
{
    public static JobGraphDescription Describe(IReadOnlyList<Transformation> nodes)
    {
        var vertices = new List<JobVertexDescription>();
        var edges = new List<JobEdgeDescription>();
        var vertexOf = new Dictionary<Transformation, int>();
        foreach (var head in nodes)
        {
            if (head.Input is not null && head.IsChainedToInput)
            {
                continue;
            }

            var chain = new List<Transformation>();
            CollectChain(head, chain);
            foreach (var node in chain)
            {
                vertexOf[node] = head.Id;
            }

            vertices.Add(new JobVertexDescription(head.Id, head.Name, chain.Select(static n => n.Name).ToArray(), head.Parallelism, head.Input is null, chain.Any(static n => n.IsSink)));
        }

        foreach (var head in nodes)
        {
            if (head.Input is null || head.IsChainedToInput)
            {
                continue;
            }

            for (var i = 0; i < head.Inputs.Count; i++)
            {
                edges.Add(new JobEdgeDescription(vertexOf[head.Inputs[i]], head.Id, head.ExchangeName(i)));
            }
        }

        return new JobGraphDescription(vertices, edges);
    }

    /// <summary>The node and, depth first, every node chained behind it (side outputs included).</summary>
    private static void CollectChain(Transformation node, List<Transformation> chain)
    {
        chain.Add(node);
        foreach (var consumer in node.Consumers)
        {
            if (consumer.IsChainedToInput)
            {
                CollectChain(consumer, chain);
            }
        }
    }
}
