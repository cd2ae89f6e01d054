using Freshet.Streaming.Planning;

namespace Freshet.Streaming.Application.Topology;

/// <summary>
/// The job graph of an application cut into <see cref="SubTopology"/>s (Kafka Streams' sub-topologies): every edge
/// that moves records between subtasks by key or round robin (<c>KeyBy</c>, <c>Rebalance</c>, the keyed inputs of
/// two-input operators) becomes a repartition topic (<see cref="RepartitionEdge"/>), and the parts left connected by
/// forward edges (chains, unions, connects of streams that are not re-keyed) are the sub-topologies. A task of
/// sub-topology <c>s</c> is <c>TaskId(s, p)</c>: partition <c>p</c> of each of its input topics.
/// <para>
/// Refused, with the node named: a source that reads no Kafka topic (tasks are topic partitions); a broadcast edge;
/// a repartition edge that would lead from a sub-topology back into itself, or two sub-topologies that feed each
/// other (event time could never advance around the cycle); two operators whose uids become the same topic name
/// (a repartition or changelog topic).
/// </para>
/// The <see cref="Fingerprint"/> identifies the graph, so that instances running different code are not put in one
/// group. Built once per process, before the instance joins its group; immutable.
/// </summary>
internal sealed class ApplicationTopology
{
    private ApplicationTopology(string applicationId, IReadOnlyList<SubTopology> subTopologies, IReadOnlyList<RepartitionEdge> edges, string fingerprint)
    {
        ApplicationId = applicationId;
        SubTopologies = subTopologies;
        RepartitionEdges = edges;
        Fingerprint = fingerprint;
    }

    public string ApplicationId { get; }

    /// <summary>The sub-topologies in job-graph order; <c>SubTopologies[i].Id == i</c>, and every repartition edge leads from a lower id to a higher one.</summary>
    public IReadOnlyList<SubTopology> SubTopologies { get; }

    /// <summary>Every cut edge, in job-graph order of the consuming node.</summary>
    public IReadOnlyList<RepartitionEdge> RepartitionEdges { get; }

    /// <summary>The job graph's fingerprint (<see cref="TopologyFingerprint"/>): 16 hexadecimal digits.</summary>
    public string Fingerprint { get; }

    /// <exception cref="InvalidOperationException">The graph cannot run in application mode; the message names the node and the reason.</exception>
    public static ApplicationTopology Build(string applicationId, IReadOnlyList<Transformation> nodes)
    {
        if (InternalTopicNames.RefusalOfApplicationId(applicationId) is { } refusal)
        {
            throw new ArgumentException($"The application id '{applicationId}' is not valid: {refusal}.", nameof(applicationId));
        }

        if (nodes.Count == 0)
        {
            throw new InvalidOperationException("The job has no operators; add a source and a sink before executing it.");
        }

        foreach (var node in nodes)
        {
            if (node.Inputs.Count == 0 && node.SourceTopic is null)
            {
                throw new InvalidOperationException(
                    $"'{node.Name}' does not read a Kafka topic. In application mode every source reads a Kafka topic (FromKafka), because the application's tasks are the partitions of its input topics.");
            }
        }

        var changelogs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var changelog = InternalTopicNames.Changelog(applicationId, node.Uid);
            if (changelogs.TryGetValue(changelog, out var otherUid))
            {
                throw new InvalidOperationException(
                    $"The operators with uids '{otherUid}' and '{node.Uid}' would both use the changelog topic '{changelog}'; give one of them another uid with .Uid(\"...\").");
            }

            changelogs.Add(changelog, node.Uid);
        }

        var components = new DisjointSets(nodes.Count);
        var cuts = new List<(Transformation Producer, Transformation Consumer, int Input)>();
        foreach (var node in nodes)
        {
            for (var input = 0; input < node.Inputs.Count; input++)
            {
                switch (node.PartitioningOf(input))
                {
                    case InputPartitioning.Hash or InputPartitioning.Rebalance:
                        cuts.Add((node.Inputs[input], node, input));
                        break;
                    case InputPartitioning.Broadcast:
                        throw new InvalidOperationException(
                            $"'{node.Name}' reads a broadcast input. Application mode cannot run broadcast edges: every task of a sub-topology would have to read every record of the broadcast stream.");
                    default:
                        // Forward and default edges stay inside one task: every node of a task runs at parallelism 1.
                        components.Union(node.Id, node.Inputs[input].Id);
                        break;
                }
            }
        }

        var subTopologyOfRoot = new Dictionary<int, int>();
        var subTopologyOf = new int[nodes.Count];
        foreach (var node in nodes)
        {
            var root = components.Find(node.Id);
            if (!subTopologyOfRoot.TryGetValue(root, out var id))
            {
                id = subTopologyOfRoot.Count;
                subTopologyOfRoot.Add(root, id);
            }

            subTopologyOf[node.Id] = id;
        }

        var edges = new List<RepartitionEdge>(cuts.Count);
        var topics = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (producer, consumer, input) in cuts)
        {
            var from = subTopologyOf[producer.Id];
            var to = subTopologyOf[consumer.Id];
            if (from == to)
            {
                throw new InvalidOperationException(
                    $"The records '{producer.Name}' sends to '{consumer.Name}' would leave a task and come back into the same sub-topology through a repartition topic. " +
                    "Application mode cannot run such a cycle: the task's event time would wait for itself. Key the stream before it is merged with the stream it came from.");
            }

            var topic = InternalTopicNames.Repartition(applicationId, consumer.Uid, input, consumer.Inputs.Count);
            if (topics.TryGetValue(topic, out var otherUid) && otherUid != consumer.Uid)
            {
                throw new InvalidOperationException(
                    $"The operators with uids '{otherUid}' and '{consumer.Uid}' would both use the repartition topic '{topic}'; give one of them another uid with .Uid(\"...\").");
            }

            topics[topic] = consumer.Uid;
            edges.Add(new RepartitionEdge(producer, consumer, input, topic, from, to));
        }

        var order = TopologicalOrder(subTopologyOfRoot.Count, edges, nodes, subTopologyOf);
        var renumber = new int[order.Count];
        for (var i = 0; i < order.Count; i++)
        {
            renumber[order[i]] = i;
        }

        edges = edges.Select(edge => edge with { FromSubTopology = renumber[edge.FromSubTopology], ToSubTopology = renumber[edge.ToSubTopology] }).ToList();
        var subTopologies = new SubTopology[order.Count];
        for (var s = 0; s < subTopologies.Length; s++)
        {
            var id = s;
            subTopologies[s] = new SubTopology(
                id,
                nodes.Where(node => renumber[subTopologyOf[node.Id]] == id).ToArray(),
                edges.Where(edge => edge.ToSubTopology == id).ToArray(),
                edges.Where(edge => edge.FromSubTopology == id).ToArray());
        }

        return new ApplicationTopology(applicationId, subTopologies, edges, TopologyFingerprint.Of(nodes));
    }

    /// <summary>
    /// The partition count of every repartition topic and the task count of every sub-topology, from the partition
    /// counts of the user's source topics: a repartition topic has <paramref name="repartitionPartitions"/> partitions,
    /// or as many as its writing sub-topology has tasks; a sub-topology has as many tasks as each of its input topics
    /// has partitions, and they must all agree.
    /// </summary>
    /// <param name="sourceTopicPartitions">Partition count of every source topic of the job.</param>
    /// <param name="repartitionPartitions">The configured partition count of repartition topics, or null for the writer's task count.</param>
    /// <exception cref="InvalidOperationException">A source topic is unknown, or the input topics of a sub-topology differ in partition count.</exception>
    public (IReadOnlyList<int> TasksPerSubTopology, IReadOnlyDictionary<string, int> RepartitionTopicPartitions) CountTasks(IReadOnlyDictionary<string, int> sourceTopicPartitions, int? repartitionPartitions)
    {
        var tasks = new int[SubTopologies.Count];
        var repartition = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var subTopology in SubTopologies)
        {
            var counts = new List<(string Topic, int Partitions)>();
            foreach (var topic in subTopology.SourceTopics)
            {
                if (!sourceTopicPartitions.TryGetValue(topic, out var partitions) || partitions < 1)
                {
                    throw new InvalidOperationException($"The source topic '{topic}' does not exist; create it before starting the application.");
                }

                counts.Add((topic, partitions));
            }

            foreach (var edge in subTopology.RepartitionInputs)
            {
                // Edges lead from lower to higher sub-topology ids, so the writer's task count is known.
                var partitions = repartitionPartitions ?? tasks[edge.FromSubTopology];
                repartition[edge.Topic] = partitions;
                counts.Add((edge.Topic, partitions));
            }

            if (counts.Select(static c => c.Partitions).Distinct().Count() > 1)
            {
                throw new InvalidOperationException(
                    $"Sub-topology {subTopology.Id} reads topics with different partition counts ({string.Join(", ", counts.Select(static c => $"'{c.Topic}': {c.Partitions}"))}). " +
                    "A task reads the same partition of each of its input topics, so they must be co-partitioned: give them the same number of partitions, or key one stream (KeyBy) before they meet.");
            }

            tasks[subTopology.Id] = counts[0].Partitions;
        }

        return (tasks, repartition);
    }

    /// <summary>Sub-topology (component) numbers in an order where every edge leads forward, ties broken by the first node of each; refuses a cycle.</summary>
    private static List<int> TopologicalOrder(int count, List<RepartitionEdge> edges, IReadOnlyList<Transformation> nodes, int[] subTopologyOf)
    {
        var firstNode = new int[count];
        Array.Fill(firstNode, int.MaxValue);
        foreach (var node in nodes)
        {
            firstNode[subTopologyOf[node.Id]] = Math.Min(firstNode[subTopologyOf[node.Id]], node.Id);
        }

        var incoming = new int[count];
        foreach (var edge in edges.DistinctBy(static e => (e.FromSubTopology, e.ToSubTopology)))
        {
            incoming[edge.ToSubTopology]++;
        }

        var ready = new PriorityQueue<int, int>();
        for (var s = 0; s < count; s++)
        {
            if (incoming[s] == 0)
            {
                ready.Enqueue(s, firstNode[s]);
            }
        }

        var order = new List<int>(count);
        while (ready.TryDequeue(out var s, out _))
        {
            order.Add(s);
            foreach (var edge in edges.Where(e => e.FromSubTopology == s).DistinctBy(static e => e.ToSubTopology))
            {
                if (--incoming[edge.ToSubTopology] == 0)
                {
                    ready.Enqueue(edge.ToSubTopology, firstNode[edge.ToSubTopology]);
                }
            }
        }

        if (order.Count < count)
        {
            var stuck = edges.First(e => incoming[e.ToSubTopology] > 0);
            throw new InvalidOperationException(
                $"Repartition topics would form a cycle through '{stuck.Consumer.Name}': two parts of the job feed each other, so neither's event time could advance. " +
                "Application mode needs the job's parts to form a chain or a tree of repartition topics.");
        }

        return order;
    }

    /// <summary>Union–find over node ids (path halving, union by index).</summary>
    private sealed class DisjointSets
    {
        private readonly int[] _parent;

        public DisjointSets(int count)
        {
            _parent = new int[count];
            for (var i = 0; i < count; i++)
            {
                _parent[i] = i;
            }
        }

        public int Find(int x)
        {
            while (_parent[x] != x)
            {
                _parent[x] = _parent[_parent[x]];
                x = _parent[x];
            }

            return x;
        }

        public void Union(int a, int b)
        {
            var ra = Find(a);
            var rb = Find(b);
            if (ra != rb)
            {
                _parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
            }
        }
    }
}
