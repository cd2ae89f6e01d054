using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Planning;

/// <summary>
/// Builds the operators of one task, depth-first from the chain head: a node's operator gets its main output (its
/// chained consumers and exchange writers, combined) and its side outputs (by tag). Every operator created is added
/// to the task's list, in creation order (downstream first).
/// </summary>
internal sealed class ChainBuilder
{
    private readonly IReadOnlyDictionary<Transformation, IInputGate[]> _gates;
    private readonly StreamEnvironmentOptions _options;
    private readonly string _jobName;
    private readonly Func<string, Checkpoints.RestoredOperatorState?> _restored;

    /// <param name="restored">The state a restored checkpoint holds for a uid (null when none).</param>
    public ChainBuilder(IReadOnlyDictionary<Transformation, IInputGate[]> gates, StreamEnvironmentOptions options, string jobName, Func<string, Checkpoints.RestoredOperatorState?> restored)
    {
        _gates = gates;
        _options = options;
        _jobName = jobName;
        _restored = restored;
    }

    /// <summary>The operator of <paramref name="node"/> for one subtask, with everything downstream of it in the chain.</summary>
    public OperatorBase BuildOperator(Transformation node, int subtask, ProcessingTimeService processingTime, List<OperatorBase> operators)
    {
        var sideOutputs = new Dictionary<string, OperatorBase>(StringComparer.Ordinal);
        foreach (var consumer in node.Consumers)
        {
            if (consumer.SideOutputTagId is { } tag)
            {
                sideOutputs[tag] = BuildOutputs(consumer, subtask, processingTime, operators);
            }
        }

        var main = BuildOutputs(node, subtask, processingTime, operators);
        var op = node.CreateOperator(Setup(node, subtask, processingTime, sideOutputs), main);
        operators.Add(op);
        return op;
    }

    /// <summary>One operator receiving <paramref name="node"/>'s main output for one subtask (a fan-out when several consume it).</summary>
    public OperatorBase BuildOutputs(Transformation node, int subtask, ProcessingTimeService processingTime, List<OperatorBase> operators)
    {
        var outputs = new List<OperatorBase>();
        foreach (var consumer in node.Consumers)
        {
            if (consumer.SideOutputTagId is not null)
            {
                continue;
            }

            if (consumer.IsChainedToInput)
            {
                outputs.Add(BuildOperator(consumer, subtask, processingTime, operators));
                continue;
            }

            // One writer per edge from this node into the consumer (a node may be an input twice, e.g. s.Union(s)).
            for (var input = 0; input < consumer.Inputs.Count; input++)
            {
                if (consumer.Inputs[input] != node)
                {
                    continue;
                }

                var setup = Setup(node, subtask, processingTime, null, $"{node.Name} -> {consumer.Name}");
                var writer = consumer.CreateWriter(setup, _gates[consumer], input, consumer.ChannelOffset(input) + subtask, _options.MaxParallelism);
                operators.Add(writer);
                outputs.Add(writer);
            }
        }

        var combined = node.CombineOutputs(Setup(node, subtask, processingTime, null), outputs);
        if (outputs.Count != 1)
        {
            operators.Add(combined);
        }

        return combined;
    }

    private OperatorSetup Setup(Transformation node, int subtask, ProcessingTimeService processingTime, Dictionary<string, OperatorBase>? sideOutputs, string? name = null) => new()
    {
        Name = name ?? node.Name,
        Uid = node.Uid,
        Restored = name is null ? _restored(node.Uid) : null,
        JobName = _jobName,
        CheckpointingEnabled = _options.Checkpointing is not null,
        SubtaskIndex = subtask,
        Parallelism = node.Parallelism,
        MaxParallelism = _options.MaxParallelism,
        BatchSize = _options.BatchSize,
        ProcessingTime = processingTime,
        StateBackend = _options.StateBackend,
        TaskProducer = _options.TaskProducer,
        SideOutputs = sideOutputs ?? new Dictionary<string, OperatorBase>(),
        QueryableStates = _options.QueryableStates,
        QueryablePart = _options.QueryablePart ?? (subtask, node.Parallelism),
    };
}
