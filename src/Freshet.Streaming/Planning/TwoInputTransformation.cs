using Freshet.Streaming.Application.Topology;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Tasks;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Planning;

/// <summary>
/// A node with two inputs of different types (<c>Connect</c>, joins): both inputs' exchange writers tag their records
/// (<see cref="TaggedUnion{T1, T2}"/>) into one gate per subtask, so the task is an ordinary input task over tagged
/// records — one watermark minimum and one barrier alignment over the channels of both inputs. Each input is routed
/// by its own key selector when keyed (both by key group, so equal keys meet in one subtask), subtask i to subtask i at equal parallelism, round robin otherwise.
/// </summary>
internal sealed class TwoInputTransformation<T1, T2, TOut> : Transformation<TOut>
{
    private readonly Func<OperatorSetup, Operator<TOut>, Operator<TaggedUnion<T1, T2>>> _factory;
    private readonly Func<int, int, Router<T1>>? _keyRouter1;
    private readonly Func<int, int, Router<T2>>? _keyRouter2;
    private readonly InputPartitioning _partitioning2;

    /// <param name="partitioning1">Partitioning of the first input (Hash needs <paramref name="keyRouter1"/>).</param>
    /// <param name="partitioning2">Partitioning of the second input (Hash needs <paramref name="keyRouter2"/>).</param>
    public TwoInputTransformation(
        int id,
        string name,
        int parallelism,
        Transformation input1,
        Transformation input2,
        InputPartitioning partitioning1,
        InputPartitioning partitioning2,
        Func<OperatorSetup, Operator<TOut>, Operator<TaggedUnion<T1, T2>>> factory,
        Func<int, int, Router<T1>>? keyRouter1 = null,
        Func<int, int, Router<T2>>? keyRouter2 = null)
        : base(id, name, parallelism, [input1, input2], partitioning1)
    {
        _factory = factory;
        _keyRouter1 = keyRouter1;
        _keyRouter2 = keyRouter2;
        _partitioning2 = partitioning2;
    }

    public override InputPartitioning PartitioningOf(int inputIndex) => inputIndex == 0 ? Partitioning : _partitioning2;

    public override string ExchangeName(int inputIndex) => MultiInputExchangeName(inputIndex);

    public override Transformation CopyForTask(int id, IReadOnlyList<Transformation> inputs, TaskPlacement placement) =>
        new TwoInputTransformation<T1, T2, TOut>(id, Name, 1, inputs[0], inputs[1], InputPartitioning.Default, InputPartitioning.Default, _factory, _keyRouter1, _keyRouter2)
        {
            KeyType = KeyType,
            ExplicitUid = Uid,
        };

    public override Transformation CreateRepartitionSource(int id, int inputIndex, RepartitionEdge edge, IRepartitionEndpoints endpoints) =>
        inputIndex == 0 ? RepartitionNodes.Source<T1>(id, edge, endpoints) : RepartitionNodes.Source<T2>(id, edge, endpoints);

    public override Transformation CreateRepartitionWriter(int id, int inputIndex, Transformation upstream, RepartitionEdge edge, int partitions, int maxParallelism, int upstreamPartition, IRepartitionEndpoints endpoints) =>
        inputIndex == 0
            ? RepartitionNodes.Writer(id, upstream, edge, endpoints, Routers.For(Partitioning, _keyRouter1, partitions, maxParallelism, upstreamPartition))
            : RepartitionNodes.Writer(id, upstream, edge, endpoints, Routers.For(_partitioning2, _keyRouter2, partitions, maxParallelism, upstreamPartition));

    public override OperatorBase CreateOperator(OperatorSetup setup, OperatorBase output) => _factory(setup, (Operator<TOut>)output);

    public override IInputGate CreateGate(int channels, int capacity, int batchSize) => new InputGate<TaggedUnion<T1, T2>>(channels, capacity, batchSize);

    public override OperatorBase CreateWriter(OperatorSetup setup, IInputGate[] gates, int inputIndex, int channel, int maxParallelism)
    {
        var sender = channel - ChannelOffset(inputIndex);
        var senderParallelism = Inputs[inputIndex].Parallelism;
        return inputIndex == 0
            ? ExchangeWriters.Create<T1, TaggedUnion<T1, T2>, FirstInputConverter<T1, T2>>(setup, gates, channel, Routers.ForMultiInputEdge(Partitioning, _keyRouter1, senderParallelism, Parallelism, maxParallelism, sender, channel))
            : ExchangeWriters.Create<T2, TaggedUnion<T1, T2>, SecondInputConverter<T1, T2>>(setup, gates, channel, Routers.ForMultiInputEdge(_partitioning2, _keyRouter2, senderParallelism, Parallelism, maxParallelism, sender, channel));
    }

    public override StreamTask CreateInputTask(string name, IInputGate gate, OperatorBase head, IReadOnlyList<OperatorBase> operators, ProcessingTimeService processingTime, TimeSpan bufferTimeout) =>
        new InputTask<TaggedUnion<T1, T2>>(name, (InputGate<TaggedUnion<T1, T2>>)gate, (Operator<TaggedUnion<T1, T2>>)head, operators, processingTime, bufferTimeout);
}
