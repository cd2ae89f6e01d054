using Freshet.Streaming.Checkpoints;
using static Freshet.Streaming.Checkpoints.CheckpointCommand;
using static Freshet.Streaming.Checkpoints.CheckpointEvent;

namespace Freshet.Streaming.Tests.Checkpoints;

public sealed class CheckpointCoordinatorTests
{
    private static readonly CheckpointCoordinatorSettings Settings = new(IntervalMs: 1000, TimeoutMs: 5000, TaskCount: 3);

    [Fact]
    public void Tick_BeforeInterval_TriggersNothing_AtInterval_TriggersNextId()
    {
        var state = CheckpointCoordinatorState.Initial(startMs: 10_000, restoredId: 0);

        var (early, none) = CheckpointCoordinator.Decide(Settings, state, new Tick(10_999));
        Assert.Empty(none);
        Assert.Equal(state, early);

        var (triggered, commands) = CheckpointCoordinator.Decide(Settings, early, new Tick(11_000));
        Assert.Equal(new CheckpointCommand[] { new Trigger(1, false) }, commands);
        Assert.Equal(1, triggered.LastTriggeredId);
        Assert.Equal(11_000, triggered.LastTriggerAtMs);
        Assert.True(triggered.Pending.ContainsKey(1));
    }

    [Fact]
    public void Initial_AfterRestore_ContinuesIdsAfterRestoredCheckpoint()
    {
        var state = CheckpointCoordinatorState.Initial(0, restoredId: 41);
        var (_, commands) = CheckpointCoordinator.Decide(Settings, state, new Tick(1000));
        Assert.Equal(new CheckpointCommand[] { new Trigger(42, false) }, commands);
    }

    [Fact]
    public void Acknowledged_ByEveryTask_CompletesWithTotals()
    {
        var state = Triggered(out var id);
        (state, var c1) = CheckpointCoordinator.Decide(Settings, state, new Acknowledged(id, 0, 100, 2, 30));
        (state, var c2) = CheckpointCoordinator.Decide(Settings, state, new Acknowledged(id, 2, 50, 7, 10));
        Assert.Empty(c1);
        Assert.Empty(c2);

        // A repeated acknowledgement neither counts twice nor adds its bytes again.
        (state, var repeated) = CheckpointCoordinator.Decide(Settings, state, new Acknowledged(id, 2, 50, 7, 10));
        Assert.Empty(repeated);

        (state, var commands) = CheckpointCoordinator.Decide(Settings, state, new Acknowledged(id, 1, 25, 1, 40));
        var complete = Assert.IsType<Complete>(Assert.Single(commands));
        Assert.Equal(id, complete.Checkpoint.CheckpointId);
        Assert.Equal(175, complete.Checkpoint.StateBytes);
        Assert.Equal(7, complete.Checkpoint.MaxSyncMs);
        Assert.Equal(40, complete.Checkpoint.MaxAsyncMs);
        Assert.Empty(state.Pending);
        Assert.Equal(id, state.LastCompletedId);
    }

    [Fact]
    public void Tick_WhilePending_DoesNotTriggerAnother()
    {
        var state = Triggered(out _);
        var (after, commands) = CheckpointCoordinator.Decide(Settings, state, new Tick(state.LastTriggerAtMs + 3000));
        Assert.Empty(commands);
        Assert.Single(after.Pending);
    }

    [Fact]
    public void Tick_PastTimeout_AbortsThenTriggersNext()
    {
        var state = Triggered(out var id);
        (state, _) = CheckpointCoordinator.Decide(Settings, state, new Acknowledged(id, 0, 1, 1, 1));
        var (after, commands) = CheckpointCoordinator.Decide(Settings, state, new Tick(state.LastTriggerAtMs + 5000));

        Assert.Equal(2, commands.Count);
        var abort = Assert.IsType<Abort>(commands[0]);
        Assert.Equal(id, abort.CheckpointId);
        Assert.Contains("5000 ms", abort.Reason, StringComparison.Ordinal);
        Assert.Equal(new Trigger(id + 1, false), commands[1]);
        Assert.Equal(0, after.LastCompletedId);

        // The late acknowledgements of the aborted checkpoint change nothing.
        var (late, lateCommands) = CheckpointCoordinator.Decide(Settings, after, new Acknowledged(id, 1, 1, 1, 1));
        Assert.Empty(lateCommands);
        Assert.Equal(after, late);
    }

    [Fact]
    public void Declined_AbortsWithTheTasksReason()
    {
        var state = Triggered(out var id);
        var (after, commands) = CheckpointCoordinator.Decide(Settings, state, new Declined(id, 1, "disk full"));
        var abort = Assert.IsType<Abort>(Assert.Single(commands));
        Assert.Contains("disk full", abort.Reason, StringComparison.Ordinal);
        Assert.Empty(after.Pending);
    }

    [Fact]
    public void SavepointRequested_TriggersAtOnceOrAfterThePendingCheckpoint()
    {
        var idle = CheckpointCoordinatorState.Initial(0, 0);
        var (_, immediate) = CheckpointCoordinator.Decide(Settings, idle, new SavepointRequested(10));
        Assert.Equal(new CheckpointCommand[] { new Trigger(1, true) }, immediate);

        var state = Triggered(out var id);
        (state, var waiting) = CheckpointCoordinator.Decide(Settings, state, new SavepointRequested(state.LastTriggerAtMs + 1));
        Assert.Empty(waiting);
        for (var task = 0; task < Settings.TaskCount; task++)
        {
            (state, _) = CheckpointCoordinator.Decide(Settings, state, new Acknowledged(id, task, 0, 0, 0));
        }

        // The savepoint does not wait for the interval.
        var (_, next) = CheckpointCoordinator.Decide(Settings, state, new Tick(state.LastTriggerAtMs + 2));
        Assert.Equal(new CheckpointCommand[] { new Trigger(id + 1, true) }, next);
    }

    [Fact]
    public void Acknowledged_TaskIndexOutOfRange_Throws()
    {
        var state = Triggered(out var id);
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointCoordinator.Decide(Settings, state, new Acknowledged(id, 3, 0, 0, 0)));
    }

    [Fact]
    public void ChooseRestorePoint_NewestComplete()
    {
        Assert.Equal(3, CheckpointCoordinator.ChooseRestorePoint([(5, false), (3, true), (4, false), (1, true)]));
        Assert.Null(CheckpointCoordinator.ChooseRestorePoint([(2, false)]));
        Assert.Null(CheckpointCoordinator.ChooseRestorePoint([]));
    }

    [Fact]
    public void UnmatchedState_ListsUidsMissingFromTheJob()
    {
        var job = new HashSet<string>(StringComparer.Ordinal) { "source", "sums" };
        Assert.Empty(CheckpointCoordinator.UnmatchedState(["sums", "source"], job));
        Assert.Equal(new[] { "counts", "old-window" }, CheckpointCoordinator.UnmatchedState(["sums", "old-window", "counts"], job));
    }

    private static CheckpointCoordinatorState Triggered(out long id)
    {
        var (state, commands) = CheckpointCoordinator.Decide(Settings, CheckpointCoordinatorState.Initial(0, 0), new Tick(1000));
        id = Assert.IsType<Trigger>(Assert.Single(commands)).CheckpointId;
        return state;
    }
}
