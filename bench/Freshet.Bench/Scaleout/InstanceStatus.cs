namespace Freshet.Bench.Scaleout;

/// <summary>An instance's last reported status: when (Unix ms), its group generation, the assignments it received, and its tasks.</summary>
internal sealed record InstanceStatus(long TimeMs, int Generation, int Rebalances, IReadOnlyList<InstanceTask> Tasks)
{
    public bool AllRunning => Tasks.Count > 0 && Tasks.All(static t => t.IsRunning);
}
