using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Jobs;

namespace Freshet.Streaming.Tests.Checkpoints;

/// <summary>Restart strategies' delays and limits, and the coordinator's early trigger for the final checkpoint.</summary>
public sealed class RestartStrategyTests
{
    [Fact]
    public void FixedDelay_SameDelayUpToTheLimit()
    {
        var strategy = RestartStrategy.FixedDelay(2, TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), strategy.DelayBeforeRestart(1));
        Assert.Equal(TimeSpan.FromSeconds(3), strategy.DelayBeforeRestart(2));
        Assert.Null(strategy.DelayBeforeRestart(3));
    }

    [Fact]
    public void ExponentialDelay_GrowsByTheMultiplierUpToTheMaximum()
    {
        var strategy = RestartStrategy.ExponentialDelay(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), multiplier: 2, maxAttempts: 5);
        Assert.Equal([100.0, 200.0, 400.0, 500.0, 500.0], Enumerable.Range(1, 5).Select(a => strategy.DelayBeforeRestart(a)!.Value.TotalMilliseconds));
        Assert.Null(strategy.DelayBeforeRestart(6));
    }

    [Fact]
    public void None_NeverRestarts() => Assert.Null(RestartStrategy.None.DelayBeforeRestart(1));

    [Fact]
    public void CheckpointRequested_TriggersBeforeTheIntervalButNotWhileOneIsPending()
    {
        var settings = new CheckpointCoordinatorSettings(IntervalMs: 10_000, TimeoutMs: 60_000, TaskCount: 1);
        var (state, commands) = CheckpointCoordinator.Decide(settings, CheckpointCoordinatorState.Initial(0, 0), new CheckpointEvent.CheckpointRequested(5));
        Assert.Equal(new CheckpointCommand.Trigger(1, false), Assert.Single(commands));

        (state, commands) = CheckpointCoordinator.Decide(settings, state, new CheckpointEvent.CheckpointRequested(6));
        Assert.Empty(commands);
        (state, commands) = CheckpointCoordinator.Decide(settings, state, new CheckpointEvent.Acknowledged(1, 0, 10, 1, 1));
        Assert.IsType<CheckpointCommand.Complete>(Assert.Single(commands));

        // The request made while checkpoint 1 was pending is served as soon as nothing is pending.
        (_, commands) = CheckpointCoordinator.Decide(settings, state, new CheckpointEvent.Tick(7));
        Assert.Equal(new CheckpointCommand.Trigger(2, false), Assert.Single(commands));
    }
}
