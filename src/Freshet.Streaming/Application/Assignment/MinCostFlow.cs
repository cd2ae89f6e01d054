namespace Freshet.Streaming.Application.Assignment;

/// <summary>
/// Minimum-cost flow by successive shortest paths (queue-based Bellman-Ford, so negative edge costs are allowed as
/// long as the graph starts without negative cycles, which holds for the acyclic graphs built here). After
/// <see cref="Run"/>, the flow it found is one of least total cost among flows of that size. Deterministic: paths
/// are searched in node and edge insertion order. Cost: one path search, O(nodes × edges) at worst, per unit of flow.
/// Not thread-safe.
/// </summary>
internal sealed class MinCostFlow
{
    // Edge i and its residual twin i ^ 1 are stored side by side; the twin's capacity is the flow on edge i.
    private readonly List<int> _to = [];
    private readonly List<int> _capacity = [];
    private readonly List<long> _cost = [];
    private readonly List<int>[] _outgoing;

    public MinCostFlow(int nodes)
    {
        _outgoing = new List<int>[nodes];
        for (var node = 0; node < nodes; node++)
        {
            _outgoing[node] = [];
        }
    }

    /// <summary>Adds an edge and returns its id for <see cref="Flow"/>.</summary>
    public int AddEdge(int from, int to, int capacity, long cost)
    {
        var id = _to.Count;
        AddHalf(from, to, capacity, cost);
        AddHalf(to, from, 0, -cost);
        return id;
    }

    /// <summary>The flow <see cref="Run"/> sent along edge <paramref name="edge"/>.</summary>
    public int Flow(int edge) => _capacity[edge ^ 1];

    /// <summary>Sends up to <paramref name="limit"/> units from <paramref name="source"/> to <paramref name="sink"/> at least cost; returns how many it sent.</summary>
    public int Run(int source, int sink, int limit)
    {
        var nodes = _outgoing.Length;
        var distance = new long[nodes];
        var viaEdge = new int[nodes];
        var queued = new bool[nodes];
        var queue = new Queue<int>();
        var sent = 0;
        while (sent < limit)
        {
            Array.Fill(distance, long.MaxValue);
            Array.Fill(viaEdge, -1);
            distance[source] = 0;
            queue.Enqueue(source);
            queued[source] = true;
            while (queue.TryDequeue(out var node))
            {
                queued[node] = false;
                foreach (var edge in _outgoing[node])
                {
                    var next = _to[edge];
                    if (_capacity[edge] > 0 && distance[node] + _cost[edge] < distance[next])
                    {
                        distance[next] = distance[node] + _cost[edge];
                        viaEdge[next] = edge;
                        if (!queued[next])
                        {
                            queue.Enqueue(next);
                            queued[next] = true;
                        }
                    }
                }
            }

            if (viaEdge[sink] < 0)
            {
                return sent;
            }

            var amount = limit - sent;
            for (var node = sink; node != source; node = _to[viaEdge[node] ^ 1])
            {
                amount = Math.Min(amount, _capacity[viaEdge[node]]);
            }

            for (var node = sink; node != source; node = _to[viaEdge[node] ^ 1])
            {
                _capacity[viaEdge[node]] -= amount;
                _capacity[viaEdge[node] ^ 1] += amount;
            }

            sent += amount;
        }

        return sent;
    }

    private void AddHalf(int from, int to, int capacity, long cost)
    {
        _outgoing[from].Add(_to.Count);
        _to.Add(to);
        _capacity.Add(capacity);
        _cost.Add(cost);
    }
}
