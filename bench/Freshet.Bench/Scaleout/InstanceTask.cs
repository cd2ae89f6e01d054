namespace Freshet.Bench.Scaleout;

/// <summary>One task in an instance's status line: its id (<c>{sub-topology}_{partition}</c>), state name, changelog records its last restore read, commits since it started, and times it failed and restarted.</summary>
internal readonly record struct InstanceTask(string TaskId, string State, long RestoredRecords, long Commits, long Restarts)
{
    /// <summary>The task's sub-topology: the number before the underscore.</summary>
    public int SubTopology => int.Parse(TaskId.AsSpan(0, TaskId.IndexOf('_')), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The task's partition: the number after the underscore.</summary>
    public int Partition => int.Parse(TaskId.AsSpan(TaskId.IndexOf('_') + 1), System.Globalization.CultureInfo.InvariantCulture);

    public bool IsRunning => State == "Running";
}
