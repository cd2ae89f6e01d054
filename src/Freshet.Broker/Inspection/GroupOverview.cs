namespace Freshet.Broker.Inspection;

/// <summary>
/// One consumer group as <see cref="KafkaBroker.DescribeGroups"/> saw it: its membership (a snapshot taken under the
/// group's lock) and its committed offsets with their lag. Immutable; thread-safe.
/// </summary>
/// <param name="GroupId">The group id.</param>
/// <param name="State">Kafka's name of the group state. Classic groups: <c>Empty</c>, <c>PreparingRebalance</c>,
/// <c>CompletingRebalance</c> or <c>Stable</c>; consumer protocol groups (KIP-848): <c>Empty</c>, <c>Assigning</c>,
/// <c>Reconciling</c> or <c>Stable</c>. A group that has only committed offsets is <c>Empty</c>.</param>
/// <param name="ProtocolType">The protocol type its members joined with: <c>consumer</c> for Kafka consumers (either
/// protocol), another name for other clients of the classic protocol (for example <c>connect</c>), or empty for a group
/// that has only committed offsets.</param>
/// <param name="Protocol">The protocol chosen for the current generation (a classic group's assignor, such as <c>range</c>),
/// or the server-side assignor of a consumer protocol group; null while none is chosen.</param>
/// <param name="Members">The members, by member id ascending.</param>
/// <param name="Offsets">The committed offsets, by topic (ordinal) then partition ascending.</param>
public sealed record GroupOverview(string GroupId, string State, string ProtocolType, string? Protocol, IReadOnlyList<GroupMemberOverview> Members, IReadOnlyList<GroupPartitionLag> Offsets);
