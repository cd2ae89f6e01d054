namespace Freshet.Cli.Groups;

/// <summary>A consumer group as <c>freshet groups describe</c> shows it.</summary>
/// <param name="Coordinator">The group coordinator broker as host:port.</param>
/// <param name="CoordinatorId">The coordinator's node id.</param>
/// <param name="PartitionAssignor">The chosen assignment strategy (range, roundrobin, cooperative-sticky, uniform, ...); empty when none.</param>
internal sealed record GroupDescription(
    string GroupId,
    string State,
    string Coordinator,
    int CoordinatorId,
    string PartitionAssignor,
    IReadOnlyList<GroupMemberInfo> Members,
    IReadOnlyList<GroupPartitionLag> Partitions);
