using Freshet.Streaming.Application.Topology;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Tasks;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Planning;

/// <summary>An operator node with one input: creates its operator, and — when not chained — its gates, the writers feeding them and its tasks.</summary>
internal class OneInputTransformation<TIn, TOut> : Transformation<TOut>
{
    private readonly Func<OperatorSetup, Operator<TOut>, Operator<TIn>> _factory;
    private readonly Func<int, int, Router<TIn>>? _keyRouter;

    /// <param name="factory">(setup, main output) → operator.</param>
    /// <param name="keyRouter">For <see cref="InputPartitioning.Hash"/>: (parallelism, max parallelism) → router.</param>
    public OneInputTransformation(int id, string name, int parallelism, Transformation input, InputPartitioning partitioning, Func<OperatorSetup, Operator<TOut>, Operator<TIn>> factory, Func<int, int, Router<TIn>>? keyRouter = null)
        : base(id, name, parallelism, input, partitioning)
    {
        _factory = factory;
        _keyRouter = keyRouter;
    }

    public override Transformation CopyForTask(int id, IReadOnlyList<Transformation> inputs, TaskPlacement placement) =>
        new OneInputTransformation<TIn, TOut>(id, Name, 1, inputs[0], InputPartitioning.Default, _factory, _keyRouter)
        {
            KeyType = KeyType,
            ExplicitUid = Uid,
            IsSink = IsSink,
        };

    public override Transformation CreateRepartitionSource(int id, int inputIndex, RepartitionEdge edge, IRepartitionEndpoints endpoints) =>
        RepartitionNodes.Source<TIn>(id, edge, endpoints);

    public override Transformation CreateRepartitionWriter(int id, int inputIndex, Transformation upstream, RepartitionEdge edge, int partitions, int maxParallelism, int upstreamPartition, IRepartitionEndpoints endpoints) =>
        RepartitionNodes.Writer(id, upstream, edge, endpoints, Routers.For(Partitioning, _keyRouter, partitions, maxParallelism, upstreamPartition));

    public override OperatorBase CreateOperator(OperatorSetup setup, OperatorBase output) => _factory(setup, (Operator<TOut>)output);

    public override IInputGate CreateGate(int channels, int capacity, int batchSize) => new InputGate<TIn>(channels, capacity, batchSize);

    public override OperatorBase CreateWriter(OperatorSetup setup, IInputGate[] gates, int inputIndex, int channel, int maxParallelism) =>
        ExchangeWriters.Create<TIn, TIn, IdentityConverter<TIn>>(setup, gates, channel, Routers.For(Partitioning, _keyRouter, Parallelism, maxParallelism, channel));

    public override StreamTask CreateInputTask(string name, IInputGate gate, OperatorBase head, IReadOnlyList<OperatorBase> operators, ProcessingTimeService processingTime, TimeSpan bufferTimeout) =>
        new InputTask<TIn>(name, (InputGate<TIn>)gate, (Operator<TIn>)head, operators, processingTime, bufferTimeout);
}
