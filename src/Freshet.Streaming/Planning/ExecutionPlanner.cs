using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Keys;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Tasks;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Planning;

/// <summary>
/// Turns a job graph into an execution plan and a <see cref="JobRun"/> ready to start:
/// <list type="number">
/// <item>a node joins its input's chain when the edge is forward at equal parallelism (or it is a side output);
/// every other node with an input heads a chain and gets one <see cref="InputGate{T}"/> per subtask, with one channel
/// per subtask of its input;</item>
/// <item>each chain head (a source, or a node behind an exchange) becomes one task per subtask, built by
/// <see cref="ChainBuilder"/>;</item>
/// <item>with a checkpoint to restore, each operator gets the state stored under its uid (state of a uid the job no
/// longer has fails the plan unless <see cref="StreamEnvironmentOptions.AllowNonRestoredState"/>); with checkpointing,
/// every operator and source must support it.</item>
/// </list>
/// Before any of this, every key type must be one that hashes stably (<see cref="KeyTypes"/>): a key whose key group
/// changed between processes would send restored state to the wrong subtask.
/// Runs on the caller's thread.
/// </summary>
internal static class ExecutionPlanner
{
    /// <param name="restore">The checkpoint or savepoint to start from; null to start empty.</param>
    /// <param name="statistics">Checkpoint counts of the job's earlier runs (restarts).</param>
    /// <param name="store">Where checkpoints go; default the directory of the options' checkpointing.</param>
    /// <param name="holdUntilCheckpointComplete">Whether tasks write nothing between a snapshot and its checkpoint's completion: sources read nothing, processing-time timers wait (application tasks).</param>
    /// <param name="checkpointHistory">Where the run records its checkpoints (the job's history over its attempts); null records nothing.</param>
    public static JobRun Plan(string jobName, IReadOnlyList<Transformation> nodes, StreamEnvironmentOptions options, CompletedCheckpoint? restore = null, CheckpointStatistics? statistics = null, ICheckpointStore? store = null, bool holdUntilCheckpointComplete = false, CheckpointHistory? checkpointHistory = null) =>
        Plan(jobName, nodes, options, RestoredStates(nodes, options, restore), restore?.CheckpointId ?? 0, statistics, store, holdUntilCheckpointComplete, checkpointHistory);

    /// <summary>Plans a run whose restored state is already decoded per operator uid (an application task restored from its changelogs).</summary>
    /// <param name="restoredByUid">The state of each operator uid to restore; uids the job lacks are ignored.</param>
    /// <param name="restoredCheckpointId">The checkpoint id the state comes from (0: none); new ids continue after it.</param>
    public static JobRun Plan(string jobName, IReadOnlyList<Transformation> nodes, StreamEnvironmentOptions options, IReadOnlyDictionary<string, RestoredOperatorState> restoredByUid, long restoredCheckpointId, CheckpointStatistics? statistics, ICheckpointStore? store, bool holdUntilCheckpointComplete, CheckpointHistory? checkpointHistory = null)
    {
        UniqueUids(nodes);
        RequireStableKeys(nodes);
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

        var builder = new ChainBuilder(gates, options, jobName, uid => restoredByUid.GetValueOrDefault(uid));
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
                    var metrics = new OperatorMetricsCounter(node.Name, s, node.Parallelism) { Uid = node.Uid };
                    tasks.Add(node.CreateSourceTask(taskName, s, head, metrics, options.BatchSize, operators, processingTime, options.BufferTimeout, restoredByUid.GetValueOrDefault(node.Uid), options.Checkpointing is not null));
                }
                else
                {
                    var head = builder.BuildOperator(node, s, processingTime, operators);
                    tasks.Add(node.CreateInputTask(taskName, gates[node][s], head, operators, processingTime, options.BufferTimeout));
                }

                // The vertex of a task is its chain head's node (JobGraphDescriber uses the same ids).
                tasks[^1].AttachCounters(new TaskMetricsCounter(node.Id, node.Name, s));
            }
        }

        if (options.Checkpointing is not null)
        {
            RequireCheckpointSupport(tasks);
        }

        RequireKnownStateSections(tasks);

        return new JobRun(jobName, tasks, allGates, options.Checkpointing, restoredCheckpointId, statistics, store, holdUntilCheckpointComplete, options.LoggerFactory, checkpointHistory);
    }

    /// <summary>Refuses a keyed node whose key type has no stable hash, naming the node, the type and the reason.</summary>
    private static void RequireStableKeys(IReadOnlyList<Transformation> nodes)
    {
        foreach (var node in nodes)
        {
            if (node.KeyType is { } keyType && KeyTypes.RefusalOf(keyType) is { } reason)
            {
                throw new InvalidOperationException(
                    $"'{node.Name}' is keyed by {KeyTypes.NameOf(keyType)}, which cannot be hashed stably: {reason}. " +
                    "A key's hash picks the subtask that receives it and restores its state, so it must be the same in every process (docs/engine.md, \"Keys\").");
            }
        }
    }

    /// <summary>Checks that uids are unique and that the restored checkpoint's state all maps onto the job; decodes it per uid.</summary>
    private static Dictionary<string, RestoredOperatorState> RestoredStates(IReadOnlyList<Transformation> nodes, StreamEnvironmentOptions options, CompletedCheckpoint? restore)
    {
        var uids = UniqueUids(nodes);
        var restored = new Dictionary<string, RestoredOperatorState>(StringComparer.Ordinal);
        if (restore is null)
        {
            return restored;
        }

        var unmatched = CheckpointCoordinator.UnmatchedState(restore.OperatorUids, uids);
        if (unmatched.Count > 0 && !options.AllowNonRestoredState)
        {
            throw new InvalidOperationException(
                $"Checkpoint {restore.CheckpointId} in '{restore.Directory}' holds state of operators this job does not have (uids: {string.Join(", ", unmatched.Select(u => $"'{u}'"))}). " +
                "Give the operators their old uids with .Uid(\"...\"), or set StreamEnvironmentOptions.AllowNonRestoredState to drop that state.");
        }

        foreach (var uid in restore.OperatorUids)
        {
            if (!uids.Contains(uid))
            {
                continue;
            }

            var subtasks = restore.SubtasksOf(uid);
            var files = new IReadOnlyDictionary<string, byte[]>?[subtasks.Max() + 1];
            foreach (var subtask in subtasks)
            {
                if (!restore.TryReadState(uid, subtask, out var bytes))
                {
                    throw new InvalidDataException($"Checkpoint {restore.CheckpointId}: the state file of '{uid}' subtask {subtask} is missing or damaged.");
                }

                files[subtask] = OperatorStateSections.Decode(bytes);
            }

            restored.Add(uid, new RestoredOperatorState(restore.CheckpointId, files));
        }

        return restored;
    }

    private static HashSet<string> UniqueUids(IReadOnlyList<Transformation> nodes)
    {
        var uids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (!uids.Add(node.Uid))
            {
                throw new InvalidOperationException($"Two operators have the uid '{node.Uid}'; uids must be unique within a job.");
            }
        }

        return uids;
    }

    /// <summary>Refuses restored state whose sections the operator of that uid does not write (the uid moved to another kind of operator).</summary>
    private static void RequireKnownStateSections(List<StreamTask> tasks)
    {
        foreach (var op in tasks.SelectMany(static t => t.Operators))
        {
            if (op is not ICheckpointedOperator checkpointed || op.Restored is not { } restored)
            {
                continue;
            }

            var known = checkpointed.StateSections;
            var foreign = restored.Subtasks
                .SelectMany(static sections => sections?.Keys ?? [])
                .FirstOrDefault(name => !known.Any(k => k.EndsWith(':') ? name.StartsWith(k, StringComparison.Ordinal) : name == k));
            if (foreign is not null)
            {
                throw new InvalidOperationException(
                    $"The state restored from checkpoint {restored.CheckpointId} for uid '{op.Uid}' has a section '{foreign}' that '{op.Name}' does not write: " +
                    "the uid belonged to a different kind of operator when the checkpoint was taken. Give the new operator a new uid (with AllowNonRestoredState to drop the old state).");
            }
        }
    }

    private static void RequireCheckpointSupport(List<StreamTask> tasks)
    {
        foreach (var task in tasks)
        {
            if (task is ISourceTaskControl { SupportsPositions: false })
            {
                throw new InvalidOperationException($"The source of '{task.Name}' has no positions, so it cannot run in a job with checkpoints.");
            }

            if (task.OperatorsWithoutCheckpoints.FirstOrDefault() is { } op)
            {
                throw new InvalidOperationException($"'{op.Name}' keeps state that checkpoints do not cover yet, so it cannot run in a job with checkpoints.");
            }
        }
    }
}
