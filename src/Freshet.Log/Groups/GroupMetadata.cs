namespace Freshet.Log.Groups;

/// <summary>
/// A classic consumer group's membership as its coordinator last stored it (Kafka's group metadata
/// record in <c>__consumer_offsets</c>): written when a generation completes and when the group
/// becomes empty, read back when the store opens so the coordinator can resume the group.
/// </summary>
/// <param name="ProtocolType">The group's protocol type, for example <c>consumer</c>; empty for a group that never had members.</param>
/// <param name="Generation">The generation the record describes.</param>
/// <param name="Protocol">The assignment protocol chosen for the generation, or null when the group is empty.</param>
/// <param name="Leader">The member id of the generation's leader, or null when the group is empty.</param>
/// <param name="CurrentStateTimestampMs">When the group entered its current state, milliseconds since the Unix epoch, or -1 if unknown.</param>
/// <param name="Members">The members of the generation with their subscriptions and assignments; empty for an empty group.</param>
public sealed record GroupMetadata(
    string ProtocolType,
    int Generation,
    string? Protocol,
    string? Leader,
    long CurrentStateTimestampMs,
    IReadOnlyList<GroupMemberMetadata> Members);
