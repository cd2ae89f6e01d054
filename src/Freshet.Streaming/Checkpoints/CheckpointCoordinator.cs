using System.Collections.Immutable;

namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// The checkpoint coordinator's decisions as pure functions over observed facts: given the settings, the current
/// state and one event, <see cref="Decide"/> returns the next state and the commands to carry out. No clock, thread or
/// file is touched here, so every decision is testable as a value. At most one checkpoint is pending at a time.
/// </summary>
internal static class CheckpointCoordinator
{
    /// <summary>Applies <paramref name="checkpointEvent"/> to <paramref name="state"/>.</summary>
    public static (CheckpointCoordinatorState State, IReadOnlyList<CheckpointCommand> Commands) Decide(
        CheckpointCoordinatorSettings settings, CheckpointCoordinatorState state, CheckpointEvent checkpointEvent)
    {
        var commands = new List<CheckpointCommand>();
        switch (checkpointEvent)
        {
            case CheckpointEvent.Tick tick:
                state = AbortTimedOut(settings, state, tick.NowMs, commands);
                state = TriggerIfDue(settings, state, tick.NowMs, commands);
                break;
            case CheckpointEvent.SavepointRequested request:
                state = state with { SavepointRequested = true };
                state = TriggerIfDue(settings, state, request.NowMs, commands);
                break;
            case CheckpointEvent.CheckpointRequested request:
                state = state with { CheckpointRequested = true };
                state = TriggerIfDue(settings, state, request.NowMs, commands);
                break;
            case CheckpointEvent.Acknowledged ack:
                state = Acknowledge(settings, state, ack, commands);
                break;
            case CheckpointEvent.Declined decline:
                if (state.Pending.TryGetValue(decline.CheckpointId, out var declined))
                {
                    state = state with { Pending = state.Pending.Remove(decline.CheckpointId) };
                    commands.Add(new CheckpointCommand.Abort(decline.CheckpointId, declined.IsSavepoint, $"task {decline.TaskIndex} declined: {decline.Reason}"));
                }

                break;
            default:
                throw new ArgumentException($"Unknown checkpoint event {checkpointEvent.GetType().Name}.", nameof(checkpointEvent));
        }

        return (state, commands);
    }

    /// <summary>
    /// Which checkpoint a restore uses: the newest candidate that verified complete, or null when none did (then the
    /// job starts from scratch). <paramref name="candidates"/> is in any order.
    /// </summary>
    public static long? ChooseRestorePoint(IEnumerable<(long CheckpointId, bool IsComplete)> candidates)
    {
        long? best = null;
        foreach (var (id, complete) in candidates)
        {
            if (complete && (best is null || id > best))
            {
                best = id;
            }
        }

        return best;
    }

    /// <summary>
    /// Checks that every operator with state in a checkpoint still exists in the job. Returns the uids whose state
    /// would be lost; the restore must fail when the list is not empty and dropping state is not allowed.
    /// </summary>
    public static IReadOnlyList<string> UnmatchedState(IEnumerable<string> checkpointUids, IReadOnlySet<string> jobUids) =>
        checkpointUids.Where(uid => !jobUids.Contains(uid)).Order(StringComparer.Ordinal).ToArray();

    private static CheckpointCoordinatorState AbortTimedOut(CheckpointCoordinatorSettings settings, CheckpointCoordinatorState state, long nowMs, List<CheckpointCommand> commands)
    {
        foreach (var pending in state.Pending.Values)
        {
            if (nowMs - pending.TriggeredAtMs >= settings.TimeoutMs)
            {
                state = state with { Pending = state.Pending.Remove(pending.CheckpointId) };
                commands.Add(new CheckpointCommand.Abort(pending.CheckpointId, pending.IsSavepoint, $"not acknowledged by every task within {settings.TimeoutMs} ms"));
            }
        }

        return state;
    }

    private static CheckpointCoordinatorState TriggerIfDue(CheckpointCoordinatorSettings settings, CheckpointCoordinatorState state, long nowMs, List<CheckpointCommand> commands)
    {
        if (!state.Pending.IsEmpty)
        {
            return state;
        }

        var savepoint = state.SavepointRequested;
        if (!savepoint && !state.CheckpointRequested && nowMs - state.LastTriggerAtMs < settings.IntervalMs)
        {
            return state;
        }

        var id = state.LastTriggeredId + 1;
        var pending = new PendingCheckpoint(id, nowMs, savepoint, ImmutableHashSet<int>.Empty, 0, 0, 0);
        commands.Add(new CheckpointCommand.Trigger(id, savepoint));
        return state with
        {
            LastTriggeredId = id,
            LastTriggerAtMs = nowMs,
            Pending = state.Pending.Add(id, pending),
            SavepointRequested = false,
            CheckpointRequested = false,
        };
    }

    private static ImmutableDictionary<string, long> AddBytes(ImmutableDictionary<string, long> total, IReadOnlyDictionary<string, long>? task)
    {
        if (task is null)
        {
            return total;
        }

        foreach (var (uid, bytes) in task)
        {
            total = total.SetItem(uid, total.GetValueOrDefault(uid) + bytes);
        }

        return total;
    }

    private static CheckpointCoordinatorState Acknowledge(CheckpointCoordinatorSettings settings, CheckpointCoordinatorState state, CheckpointEvent.Acknowledged ack, List<CheckpointCommand> commands)
    {
        if (ack.TaskIndex < 0 || ack.TaskIndex >= settings.TaskCount)
        {
            throw new ArgumentOutOfRangeException(nameof(ack), $"Task index {ack.TaskIndex} is outside 0..{settings.TaskCount - 1}.");
        }

        // A late acknowledgement of an aborted or completed checkpoint changes nothing.
        if (!state.Pending.TryGetValue(ack.CheckpointId, out var pending) || pending.AcknowledgedTasks.Contains(ack.TaskIndex))
        {
            return state;
        }

        pending = pending with
        {
            AcknowledgedTasks = pending.AcknowledgedTasks.Add(ack.TaskIndex),
            StateBytes = pending.StateBytes + ack.StateBytes,
            MaxSyncMs = Math.Max(pending.MaxSyncMs, ack.SyncMs),
            MaxAsyncMs = Math.Max(pending.MaxAsyncMs, ack.AsyncMs),
            MaxAlignmentMs = Math.Max(pending.MaxAlignmentMs, ack.AlignmentMs),
            StateBytesByOperator = AddBytes(pending.StateBytesByOperator, ack.StateBytesByOperator),
        };
        if (pending.AcknowledgedTasks.Count < settings.TaskCount)
        {
            return state with { Pending = state.Pending.SetItem(ack.CheckpointId, pending) };
        }

        commands.Add(new CheckpointCommand.Complete(pending));
        return state with
        {
            Pending = state.Pending.Remove(ack.CheckpointId),
            LastCompletedId = Math.Max(state.LastCompletedId, ack.CheckpointId),
        };
    }
}
