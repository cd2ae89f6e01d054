namespace Freshet.Broker.Groups.ConsumerProtocol;

/// <summary>Where a member of a consumer protocol group is in reconciling with its target assignment.</summary>
internal enum ConsumerMemberState
{
    /// <summary>The member owns its whole target assignment at the target epoch.</summary>
    Stable,

    /// <summary>The member must revoke partitions (its pending revocation) before it advances.</summary>
    UnrevokedPartitions,

    /// <summary>The member is at the target epoch but waits for partitions that other members still own.</summary>
    UnreleasedPartitions,
}
