using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Tasks;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Planning;

/// <summary>
/// <c>Union</c>: a pass-through node whose gate has the channels of every input, so its output is all of their
/// records (in no particular order across inputs) and its watermark the minimum over all of them. Operators after it
/// chain into its task.
/// </summary>
internal sealed class UnionTransformation<T> : Transformation<T>
{
    public UnionTransformation(int id, string name, int parallelism, IReadOnlyList<Transformation> inputs)
        : base(id, name, parallelism, inputs, InputPartitioning.Default)
    {
    }

    public override Transformation CopyForTask(int id, IReadOnlyList<Transformation> inputs, TaskPlacement placement) =>
        new UnionTransformation<T>(id, Name, 1, inputs) { ExplicitUid = Uid };

    public override string ExchangeName(int inputIndex) => MultiInputExchangeName(inputIndex);

    public override OperatorBase CreateOperator(OperatorSetup setup, OperatorBase output) =>
        new MapOperator<T, T>(setup, static value => value, (Operator<T>)output);

    public override IInputGate CreateGate(int channels, int capacity, int batchSize) => new InputGate<T>(channels, capacity, batchSize);

    public override OperatorBase CreateWriter(OperatorSetup setup, IInputGate[] gates, int inputIndex, int channel, int maxParallelism) =>
        ExchangeWriters.Create<T, T, IdentityConverter<T>>(setup, gates, channel, Routers.ForMultiInputEdge<T>(Partitioning, null, Inputs[inputIndex].Parallelism, Parallelism, maxParallelism, channel - ChannelOffset(inputIndex), channel));

    public override StreamTask CreateInputTask(string name, IInputGate gate, OperatorBase head, IReadOnlyList<OperatorBase> operators, ProcessingTimeService processingTime, TimeSpan bufferTimeout) =>
        new InputTask<T>(name, (InputGate<T>)gate, (Operator<T>)head, operators, processingTime, bufferTimeout);
}
