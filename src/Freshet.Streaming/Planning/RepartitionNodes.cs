using Freshet.Streaming.Application.Topology;
using Freshet.Streaming.Exchange;

namespace Freshet.Streaming.Planning;

/// <summary>The job-graph nodes at the two ends of a repartition topic in an application task's graph, for a record type the consuming node knows.</summary>
internal static class RepartitionNodes
{
    /// <summary>A source reading the task's partition of <paramref name="edge"/>'s topic; its uid is derived from the topic so that its position has a stable name.</summary>
    public static Transformation Source<T>(int id, RepartitionEdge edge, IRepartitionEndpoints endpoints) =>
        new SourceTransformation<T>(id, $"Repartition Source: {edge.Topic}", 1, context => endpoints.CreateReader<T>(edge, context), endpoints.ReaderWatermarks<T>())
        {
            Topic = edge.Topic,
            ExplicitUid = edge.Topic + "/source",
        };

    /// <summary>A node after <paramref name="upstream"/> writing its records to <paramref name="edge"/>'s topic by <paramref name="router"/>.</summary>
    public static Transformation Writer<T>(int id, Transformation upstream, RepartitionEdge edge, IRepartitionEndpoints endpoints, Router<T> router) =>
        new OneInputTransformation<T, T>(id, $"Repartition Sink: {edge.Topic}", 1, upstream, InputPartitioning.Default, (setup, _) => endpoints.CreateWriter(setup, edge, router))
        {
            ExplicitUid = edge.Topic + "/sink",
        };
}
