using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Sources;

namespace Freshet.Streaming.Application.Topology;

/// <summary>
/// What one application task uses at the two ends of a repartition topic, made by the task's runtime (which owns the
/// task's consumer settings and its transactional producer) and called by the typed job-graph nodes, which know the
/// record type of each edge. Called on the thread that plans the task.
/// </summary>
internal interface IRepartitionEndpoints
{
    /// <summary>The reader of this task's partition of <paramref name="edge"/>'s topic, emitting the records the consumer's input receives.</summary>
    SourceReader<T> CreateReader<T>(RepartitionEdge edge, SourceReaderContext context);

    /// <summary>The operator that ends the producer's chain and writes each record to the partition <paramref name="router"/> picks.</summary>
    Operator<T> CreateWriter<T>(OperatorSetup setup, RepartitionEdge edge, Router<T> router);

    /// <summary>The watermark strategy of a repartition source (event time and watermarks come from the topic's records, not from a strategy).</summary>
    Time.WatermarkStrategy<T> ReaderWatermarks<T>();
}
