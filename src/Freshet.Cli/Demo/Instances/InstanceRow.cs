using Freshet.Streaming.Jobs;

namespace Freshet.Cli.Demo.Instances;

/// <summary>One instance as the demo's view shows it.</summary>
/// <param name="Name">The instance's name.</param>
/// <param name="ProcessId">Its current process.</param>
/// <param name="State">In words: starting, joining, restoring, running, killed (SIGKILL), stopped, exited (code).</param>
/// <param name="Tasks">The tasks it holds now, in task order.</param>
/// <param name="Results">Rankings it committed to the output (read_committed).</param>
internal sealed record InstanceRow(string Name, int ProcessId, string State, IReadOnlyList<ApplicationTaskStatus> Tasks, int Results);
