using Freshet.Streaming.Jobs;

namespace Freshet.Cli.Demo.Instances;

/// <summary>What the demo knows of one instance at one moment, for <see cref="FailoverScenario"/>.</summary>
/// <param name="Name">The instance's name.</param>
/// <param name="ProcessId">Its current process.</param>
/// <param name="Alive">Its process runs.</param>
/// <param name="Status">Its last report; null before the first.</param>
internal sealed record InstanceObservation(string Name, int ProcessId, bool Alive, ApplicationInstanceStatus? Status)
{
    /// <summary>The tasks it runs now (state <see cref="ApplicationTaskState.Running"/>), in task order; none when it is not alive.</summary>
    public IReadOnlyList<ApplicationTaskStatus> RunningTasks =>
        Alive && Status is { } status ? status.Tasks.Where(static t => t.State == ApplicationTaskState.Running).ToArray() : [];

    /// <summary>True when every task it holds runs (none restoring, restarting or failed).</summary>
    public bool Settled =>
        Alive && Status is { Generation: >= 0 } status && status.Tasks.All(static t => t.State is ApplicationTaskState.Running or ApplicationTaskState.Stopped or ApplicationTaskState.Finished);
}
