namespace Freshet.Streaming.Jobs;

/// <summary>This process's share of an application (application mode): what <see cref="JobHandle.Application"/> reports.</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="TopologyFingerprint">The fingerprint of this instance's job graph; every instance of the group has the same.</param>
/// <param name="Generation">The group generation of the current assignment, or -1 while the instance holds none.</param>
/// <param name="Rebalances">Assignments this instance received.</param>
/// <param name="Tasks">The tasks it runs now.</param>
/// <param name="Standbys">The standby replicas it keeps now.</param>
public sealed record ApplicationInstanceStatus(string ApplicationId, string TopologyFingerprint, int Generation, int Rebalances, IReadOnlyList<ApplicationTaskStatus> Tasks, IReadOnlyList<ApplicationStandbyStatus> Standbys);
