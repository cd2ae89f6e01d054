using Freshet.Streaming.Planning;

namespace Freshet.Streaming.Application.Topology;

/// <summary>
/// An edge of the job graph that application mode cuts (a key exchange or a rebalance): the records
/// <see cref="Producer"/> sends to input <see cref="InputIndex"/> of <see cref="Consumer"/> go through the repartition
/// topic <see cref="Topic"/>, written by every task of sub-topology <see cref="FromSubTopology"/> and read, one
/// partition per task, by the tasks of <see cref="ToSubTopology"/>. Immutable.
/// </summary>
internal sealed record RepartitionEdge(Transformation Producer, Transformation Consumer, int InputIndex, string Topic, int FromSubTopology, int ToSubTopology);
