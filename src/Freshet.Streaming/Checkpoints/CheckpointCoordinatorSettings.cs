namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// The fixed inputs of the coordinator's decisions: trigger every <see cref="IntervalMs"/> (ms, measured from the
/// previous trigger and only when no checkpoint is pending), abort a checkpoint not acknowledged by all
/// <see cref="TaskCount"/> tasks within <see cref="TimeoutMs"/> (ms after its trigger).
/// </summary>
internal sealed record CheckpointCoordinatorSettings(long IntervalMs, long TimeoutMs, int TaskCount)
{
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(IntervalMs, nameof(IntervalMs));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TimeoutMs, nameof(TimeoutMs));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TaskCount, nameof(TaskCount));
    }
}
