using Freshet.Streaming;
using Freshet.Streaming.Checkpoints;

namespace Freshet.Hosting;

/// <summary>
/// The bindable form of <see cref="CheckpointingOptions"/>: the section <c>Checkpointing</c> of a hosted job's options.
/// A property left null keeps the engine's default. The restart strategy has no configuration form; set it in
/// <see cref="FreshetJobOptions.ConfigureEnvironment"/>.
/// </summary>
public sealed class FreshetJobCheckpointingOptions
{
    /// <summary>The job's checkpoint directory (<see cref="CheckpointingOptions.Directory"/>); required for checkpoints.</summary>
    public string? Directory { get; set; }

    /// <summary>Time between checkpoints (<see cref="CheckpointingOptions.Interval"/>; configuration: <c>"00:00:05"</c>).</summary>
    public TimeSpan? Interval { get; set; }

    /// <summary>A checkpoint not completed this long after its trigger is aborted (<see cref="CheckpointingOptions.Timeout"/>).</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Complete checkpoints kept (<see cref="CheckpointingOptions.RetainedCheckpoints"/>).</summary>
    public int? RetainedCheckpoints { get; set; }

    /// <summary><c>ExactlyOnce</c> (aligned barriers) or <c>AtLeastOnce</c> (<see cref="CheckpointingOptions.Mode"/>).</summary>
    public CheckpointingMode? Mode { get; set; }

    internal CheckpointingOptions ToCheckpointingOptions()
    {
        var options = new CheckpointingOptions { Directory = Directory! };
        return options with
        {
            Interval = Interval ?? options.Interval,
            Timeout = Timeout ?? options.Timeout,
            RetainedCheckpoints = RetainedCheckpoints ?? options.RetainedCheckpoints,
            Mode = Mode ?? options.Mode,
        };
    }
}
