using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Jobs;

namespace Freshet.Streaming;

/// <summary>
/// Periodic checkpoints of a job (Flink's checkpoint config): every <see cref="Interval"/> the sources inject a
/// barrier, every operator snapshots its state when the barrier has passed it, and the checkpoint completes when every
/// task stored its state under <see cref="Directory"/>. After a task failure the job restarts in process according to
/// <see cref="RestartStrategy"/>; a job started again with the same directory (after a crash or a kill) resumes from
/// the newest complete checkpoint. Set on <see cref="StreamEnvironmentOptions.Checkpointing"/>.
/// </summary>
public sealed record CheckpointingOptions
{
    /// <summary>The job's checkpoint directory (created when missing): one <c>chk-&lt;id&gt;</c> directory per checkpoint.</summary>
    public required string Directory { get; init; }

    /// <summary>Time from one checkpoint's trigger to the next (at most one checkpoint is in progress); default 5 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A checkpoint not completed this long after its trigger is aborted; default 10 minutes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How many complete checkpoints are kept (older ones are deleted); default 2.</summary>
    public int RetainedCheckpoints { get; init; } = 2;

    /// <summary>Aligned barriers (exactly-once state, default) or unaligned processing (at-least-once, lower latency); see <see cref="CheckpointingMode"/>.</summary>
    public CheckpointingMode Mode { get; init; } = CheckpointingMode.ExactlyOnce;

    /// <summary>What happens after a task fails; default: 3 attempts, 1 s apart (<see cref="RestartStrategy.FixedDelay"/>).</summary>
    public RestartStrategy RestartStrategy { get; init; } = RestartStrategy.FixedDelay(3, TimeSpan.FromSeconds(1));

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Directory, nameof(Directory));
        ArgumentOutOfRangeException.ThrowIfLessThan(Interval, TimeSpan.FromMilliseconds(1), nameof(Interval));
        ArgumentOutOfRangeException.ThrowIfLessThan(Timeout, TimeSpan.FromMilliseconds(1), nameof(Timeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetainedCheckpoints, 1, nameof(RetainedCheckpoints));
        ArgumentNullException.ThrowIfNull(RestartStrategy, nameof(RestartStrategy));
    }
}
