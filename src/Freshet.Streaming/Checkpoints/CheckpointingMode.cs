namespace Freshet.Streaming.Checkpoints;

/// <summary>How a task with several input channels handles checkpoint barriers.</summary>
public enum CheckpointingMode
{
    /// <summary>
    /// Aligned barriers: a channel that delivered barrier n is not read again until barrier n arrived on every
    /// channel, so the snapshot reflects exactly the records before the barrier on every channel.
    /// </summary>
    ExactlyOnce,

    /// <summary>
    /// No alignment: channels are never blocked and the snapshot is taken when the last barrier arrives. Records a
    /// channel delivered after its barrier are in the snapshot's state and are processed again after a restore, so
    /// results may count them twice; in exchange no channel ever waits (lower latency under skew).
    /// </summary>
    AtLeastOnce,
}
