namespace Freshet.Bench.Scaleout;

/// <summary>A task of an instance went from restoring to running at <see cref="TimeMs"/> (Unix ms) after <see cref="RestoreMs"/>, having read <see cref="Records"/> changelog records.</summary>
internal readonly record struct RestoreEvent(long TimeMs, int Generation, string TaskId, long Records, long RestoreMs)
{
    /// <summary>When the restore began (Unix ms).</summary>
    public long StartedMs => TimeMs - RestoreMs;
}
