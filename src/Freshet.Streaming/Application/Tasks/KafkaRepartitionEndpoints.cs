using ConsumerConfig = Confluent.Kafka.ConsumerConfig;
using Freshet.Streaming.Application.Repartition;
using Freshet.Streaming.Application.Topology;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Sources;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Application.Tasks;

/// <summary>
/// The ends of repartition topics for one application task: readers of the task's partition, resuming where the
/// application's group committed (a restored position wins), and writers through the task's producer. Records are
/// serialized with <see cref="Serializers.Default{T}"/>. Immutable; used on the thread that plans the task.
/// </summary>
internal sealed class KafkaRepartitionEndpoints(string applicationId, int partition, IReadOnlyList<int> tasksPerSubTopology, IReadOnlyDictionary<string, int> repartitionPartitions, ConsumerConfig consumerConfig, ApplicationTaskProducer producer, TimeSpan timeout) : IRepartitionEndpoints
{
    public SourceReader<T> CreateReader<T>(RepartitionEdge edge, SourceReaderContext context) =>
        new RepartitionSourceReader<T>(edge.Topic, partition, StartingOffsets.Committed(applicationId), tasksPerSubTopology[edge.FromSubTopology], Serializers.Default<T>(), consumerConfig, endAtFinalWatermark: true, timeout);

    public Operator<T> CreateWriter<T>(OperatorSetup setup, RepartitionEdge edge, Router<T> router) =>
        new RepartitionWriter<T>(setup, edge.Topic, repartitionPartitions[edge.Topic], router, partition, Serializers.Default<T>(), producer.Producer, timeout);

    public WatermarkStrategy<T> ReaderWatermarks<T>() => WatermarkStrategy.DrivenByReader<T>();
}
