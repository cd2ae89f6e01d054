using Freshet.Streaming.Planning;

namespace Freshet.Streaming.Application.Topology;

/// <summary>
/// A connected part of the job graph that no repartition topic cuts: the unit of work of application mode. Each of its
/// tasks (<c>TaskId(Id, partition)</c>) runs every node of it at parallelism 1 over one partition of each of its input
/// topics, so all its input topics (the user's source topics and the repartition topics feeding it) must have the same
/// partition count (be co-partitioned). Numbered in the order of the job graph, so sub-topology 0 holds the first
/// source. Immutable.
/// </summary>
internal sealed class SubTopology
{
    public SubTopology(int id, IReadOnlyList<Transformation> nodes, IReadOnlyList<RepartitionEdge> inputs, IReadOnlyList<RepartitionEdge> outputs)
    {
        Id = id;
        Nodes = nodes;
        RepartitionInputs = inputs;
        RepartitionOutputs = outputs;
        SourceTopics = nodes
            .Where(static node => node.Inputs.Count == 0)
            .Select(static node => node.SourceTopic!)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    public int Id { get; }

    /// <summary>The nodes of the sub-topology, in the job graph's order.</summary>
    public IReadOnlyList<Transformation> Nodes { get; }

    /// <summary>The user's Kafka topics the sub-topology's sources read.</summary>
    public IReadOnlyList<string> SourceTopics { get; }

    /// <summary>The cut edges whose repartition topics feed the sub-topology.</summary>
    public IReadOnlyList<RepartitionEdge> RepartitionInputs { get; }

    /// <summary>The cut edges whose repartition topics the sub-topology writes.</summary>
    public IReadOnlyList<RepartitionEdge> RepartitionOutputs { get; }

    /// <summary>Every topic a task of the sub-topology reads one partition of.</summary>
    public IEnumerable<string> InputTopics => SourceTopics.Concat(RepartitionInputs.Select(static edge => edge.Topic));
}
