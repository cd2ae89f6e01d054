using Freshet.Streaming.Runtime;

namespace Freshet.Streaming.Planning;

/// <summary>
/// Turns a job graph into an execution plan and a <see cref="JobRun"/> ready to start:
/// <list type="number">
/// <item>a node joins its input's chain when the edge is forward at equal parallelism (or it is a side output);
/// every other node with an input heads a chain and gets one <see cref="InputGate{T}"/> per subtask, with one channel
/// per subtask of its input;</item>
/// <item>each chain head (a source, or a node behind an exchange) becomes one task per subtask, built by
/// <see cref="ChainBuilder"/>.</item>
/// </list>
/// Runs on the caller's thread.
/// </summary>
internal static class ExecutionPlanner
{
    public static JobRun Plan(string jobName, IReadOnlyList<Transformation> nodes, StreamEnvironmentOptions options)
    {
        var gates = new Dictionary<Transformation, IInputGate[]>();
        var allGates = new List<IInputGate>();
        foreach (var node in nodes)
        {
            if (node.Input is null || node.IsChainedToInput)
            {
                continue;
            }

            if (node.Partitioning == InputPartitioning.Forward)
            {
                throw new InvalidOperationException(
                    $"'{node.Name}' has a forward input but its parallelism ({node.Parallelism}) differs from its input's ({node.Input.Parallelism}); forward needs equal parallelism.");
            }

            var perSubtask = new IInputGate[node.Parallelism];
            for (var t = 0; t < perSubtask.Length; t++)
            {
                perSubtask[t] = node.CreateGate(node.InputChannelCount, options.ChannelCapacity, options.BatchSize);
                allGates.Add(perSubtask[t]);
            }

            gates.Add(node, perSubtask);
        }

        var builder = new ChainBuilder(gates, options);
        var tasks = new List<StreamTask>();
        foreach (var node in nodes)
        {
            if (node.Input is not null && node.IsChainedToInput)
            {
                continue;
            }

            for (var s = 0; s < node.Parallelism; s++)
            {
                var processingTime = new ProcessingTimeService(options.Clock);
                var operators = new List<OperatorBase>();
                var taskName = $"{node.Name} ({s + 1}/{node.Parallelism})";
                if (node.Input is null)
                {
                    var head = builder.BuildOutputs(node, s, processingTime, operators);
                    var metrics = new OperatorMetricsCounter(node.Name, s, node.Parallelism);
                    tasks.Add(node.CreateSourceTask(taskName, s, head, metrics, options.BatchSize, operators, processingTime, options.BufferTimeout));
                }
                else
                {
                    var head = builder.BuildOperator(node, s, processingTime, operators);
                    tasks.Add(node.CreateInputTask(taskName, gates[node][s], head, operators, processingTime, options.BufferTimeout));
                }
            }
        }

        return new JobRun(jobName, tasks, allGates);
    }
}
