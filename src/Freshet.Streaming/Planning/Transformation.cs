using Freshet.Streaming.Exchange;
using Freshet.Streaming.Keys;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Tasks;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Planning;

/// <summary>
/// A node of the job graph: a source, an operator, a side-output selection or a sink, with its parallelism and the
/// partitioning of its input edge. The typed subclasses create the runtime pieces (operators, gates, writers, tasks)
/// for their record types, so the planner itself stays untyped. Built on the user's thread; immutable once planned.
/// </summary>
internal abstract class Transformation
{
    private int _parallelism;

    protected Transformation(int id, string name, int parallelism, Transformation? input, InputPartitioning partitioning)
        : this(id, name, parallelism, input is null ? [] : [input], partitioning)
    {
    }

    /// <summary>A node reading several inputs (union, connect): their channels feed one gate, in input order.</summary>
    protected Transformation(int id, string name, int parallelism, IReadOnlyList<Transformation> inputs, InputPartitioning partitioning)
    {
        Id = id;
        Name = name;
        _parallelism = parallelism;
        Inputs = inputs;
        Input = inputs.Count > 0 ? inputs[0] : null;
        Partitioning = partitioning;
        foreach (var input in inputs)
        {
            if (!input.Consumers.Contains(this))
            {
                input.Consumers.Add(this);
            }
        }
    }

    public int Id { get; }

    public string Name { get; set; }

    /// <summary>The id the user gave (<c>.Uid("...")</c>); null when the default is used.</summary>
    public string? ExplicitUid { get; set; }

    /// <summary>
    /// The stable id under which checkpoints store this node's state: the user's, or one built from the node's position
    /// in the graph and its name (stable while the job's code does not change).
    /// </summary>
    public string Uid => ExplicitUid ?? $"{Id}:{Name}";

    /// <summary>Number of subtasks.</summary>
    public virtual int Parallelism
    {
        get => _parallelism;
        set => _parallelism = value;
    }

    /// <summary>True when the parallelism may not change (a collection source).</summary>
    public bool FixedParallelism { get; init; }

    /// <summary>The first (usually only) input; null for a source.</summary>
    public Transformation? Input { get; }

    /// <summary>
    /// Every input edge in order (empty for a source). A node with several inputs is never chained: its gate has
    /// one channel per subtask of each input, input 0's channels first (see <see cref="ChannelOffset"/>).
    /// </summary>
    public IReadOnlyList<Transformation> Inputs { get; }

    /// <summary>Number of channels of this node's gates: the sum of its inputs' parallelism.</summary>
    public int InputChannelCount => Inputs.Sum(static input => input.Parallelism);

    /// <summary>The first channel of input <paramref name="inputIndex"/> in this node's gates.</summary>
    public int ChannelOffset(int inputIndex)
    {
        var offset = 0;
        for (var i = 0; i < inputIndex; i++)
        {
            offset += Inputs[i].Parallelism;
        }

        return offset;
    }

    /// <summary>The partitioning of input 0 (the only input of most nodes); see <see cref="PartitioningOf"/> for the others.</summary>
    public InputPartitioning Partitioning { get; }

    /// <summary>The partitioning of input <paramref name="inputIndex"/>: how that input's records reach this node's subtasks.</summary>
    public virtual InputPartitioning PartitioningOf(int inputIndex) => Partitioning;

    /// <summary>
    /// The exchange of input <paramref name="inputIndex"/> when this node is not chained, named as Flink's web UI names
    /// it (HASH, BROADCAST, REBALANCE, FORWARD): the router <see cref="CreateWriter"/> picks (<c>Routers.For</c>).
    /// </summary>
    public virtual string ExchangeName(int inputIndex) => PartitioningOf(inputIndex) switch
    {
        InputPartitioning.Hash => "HASH",
        InputPartitioning.Broadcast => "BROADCAST",
        _ => "REBALANCE",
    };

    /// <summary>The exchange name of an input of a node with several inputs, as <c>Routers.ForMultiInputEdge</c> routes it.</summary>
    protected string MultiInputExchangeName(int inputIndex) =>
        PartitioningOf(inputIndex) == InputPartitioning.Hash ? "HASH"
        : Inputs[inputIndex].Parallelism == Parallelism ? "FORWARD"
        : "REBALANCE";

    /// <summary>Whether the node writes the stream to a sink (<c>SinkTo</c> and the connectors' sinks).</summary>
    public bool IsSink { get; init; }

    /// <summary>
    /// The type of the key by which the node's inputs are partitioned and its state is kept (<c>KeyBy</c>); null for a
    /// node without keys. The planner refuses a key type that cannot be hashed stably (<see cref="KeyTypes"/>).
    /// </summary>
    public Type? KeyType { get; init; }

    /// <summary>
    /// The Kafka topic a source node reads, null for any other node and for sources of other kinds. In application
    /// mode a sub-topology's tasks are the partitions of its source topics, so only sources with a topic run there.
    /// </summary>
    public virtual string? SourceTopic => null;

    /// <summary>Nodes reading this node's output (main or side outputs).</summary>
    public List<Transformation> Consumers { get; } = [];

    /// <summary>The tag id when this node selects a side output of its input; null otherwise.</summary>
    public virtual string? SideOutputTagId => null;

    /// <summary>Whether the node runs in its input's task (forward edge at equal parallelism, or a side output).</summary>
    public bool IsChainedToInput =>
        Inputs.Count == 1 && (SideOutputTagId is not null || (Partitioning is InputPartitioning.Default or InputPartitioning.Forward && Input!.Parallelism == Parallelism));

    /// <summary>
    /// Application mode: a copy of this node for one application task — same uid, name, key type and operator, at
    /// parallelism 1, reading <paramref name="inputs"/> (copies of its inputs, or repartition sources in place of the
    /// inputs cut off) through forward edges, so the whole copy of a sub-topology chains like a job at parallelism 1.
    /// </summary>
    /// <param name="id">The copy's id in the task's graph.</param>
    /// <param name="placement">The task's partition and group: a source copy reads only that partition of its topic, from the group's committed offset.</param>
    public virtual Transformation CopyForTask(int id, IReadOnlyList<Transformation> inputs, TaskPlacement placement) =>
        throw new InvalidOperationException($"'{Name}' cannot run in application mode.");

    /// <summary>
    /// Application mode: a source standing in for input <paramref name="inputIndex"/> of this node, reading the task's
    /// partition of the repartition topic of <paramref name="edge"/>.
    /// </summary>
    public virtual Transformation CreateRepartitionSource(int id, int inputIndex, Application.Topology.RepartitionEdge edge, Application.Topology.IRepartitionEndpoints endpoints) =>
        throw new InvalidOperationException($"'{Name}' cannot read a repartition topic.");

    /// <summary>
    /// Application mode: a node after <paramref name="upstream"/> (the producer's copy) writing what this node's input
    /// <paramref name="inputIndex"/> would receive into the repartition topic of <paramref name="edge"/>, to the
    /// partition the single-process engine would pick as the subtask at parallelism <paramref name="partitions"/>.
    /// </summary>
    /// <param name="upstreamPartition">The writing task's partition (seeds round robin).</param>
    public virtual Transformation CreateRepartitionWriter(int id, int inputIndex, Transformation upstream, Application.Topology.RepartitionEdge edge, int partitions, int maxParallelism, int upstreamPartition, Application.Topology.IRepartitionEndpoints endpoints) =>
        throw new InvalidOperationException($"'{Name}' cannot be fed through a repartition topic.");

    /// <summary>Joins the operators fed by this node's output into one <c>Operator&lt;TOut&gt;</c>.</summary>
    public abstract OperatorBase CombineOutputs(OperatorSetup setup, List<OperatorBase> outputs);

    /// <summary>The node's operator for one subtask, sending its main output to <paramref name="output"/>.</summary>
    public virtual OperatorBase CreateOperator(OperatorSetup setup, OperatorBase output) =>
        throw new InvalidOperationException($"'{Name}' has no operator.");

    /// <summary>The input gate of one subtask of a non-chained node.</summary>
    public virtual IInputGate CreateGate(int channels, int capacity, int batchSize) =>
        throw new InvalidOperationException($"'{Name}' has no input.");

    /// <summary>
    /// The exchange writer by which one subtask of input <paramref name="inputIndex"/> sends to this node's gates,
    /// as channel <paramref name="channel"/> (= <see cref="ChannelOffset"/> + the sender's subtask index).
    /// </summary>
    public virtual OperatorBase CreateWriter(OperatorSetup setup, IInputGate[] gates, int inputIndex, int channel, int maxParallelism) =>
        throw new InvalidOperationException($"'{Name}' has no input.");

    /// <summary>The task of one subtask of a non-chained node.</summary>
    public virtual StreamTask CreateInputTask(string name, IInputGate gate, OperatorBase head, IReadOnlyList<OperatorBase> operators, ProcessingTimeService processingTime, TimeSpan bufferTimeout) =>
        throw new InvalidOperationException($"'{Name}' has no input.");

    /// <summary>The task of one subtask of a source node; <paramref name="metrics"/> are the source's own counters.</summary>
    public virtual StreamTask CreateSourceTask(string name, int subtask, OperatorBase head, OperatorMetricsCounter metrics, int batchSize, IReadOnlyList<OperatorBase> operators, ProcessingTimeService processingTime, TimeSpan bufferTimeout, Checkpoints.RestoredOperatorState? restored, bool checkpointingEnabled) =>
        throw new InvalidOperationException($"'{Name}' is not a source.");
}
