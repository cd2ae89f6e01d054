namespace Freshet.Streaming.Jobs;

/// <summary>One standby replica this instance keeps (see <see cref="ApplicationInstanceStatus"/> and <see cref="ApplicationOptions.NumStandbyReplicas"/>).</summary>
/// <param name="TaskId">The task whose state it copies: <c>{sub-topology}_{partition}</c>.</param>
/// <param name="AppliedRecords">Changelog records it applied since it started here.</param>
/// <param name="Lag">
/// Offsets between its position in the task's changelogs and their ends, as consumer lag is counted (the marker of
/// the last transaction on each changelog counts one), or -1 before it first heard the changelogs' ends.
/// </param>
public sealed record ApplicationStandbyStatus(string TaskId, long AppliedRecords, long Lag);
