namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One leaving member in a LeaveGroup request v3+ (Kafka's <c>MemberIdentity</c>).</summary>
public sealed class LeaveGroupRequestMember : IKafkaStruct<LeaveGroupRequestMember>
{
    /// <summary>The member id to remove, or "" to remove a static member by instance id.</summary>
    public string MemberId { get; set; } = "";

    /// <summary>The static group instance id to remove, or null.</summary>
    public string? GroupInstanceId { get; set; }

    /// <inheritdoc/>
    public static LeaveGroupRequestMember Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= LeaveGroupRequest.FirstFlexibleVersion;
        var member = new LeaveGroupRequestMember
        {
            MemberId = reader.ReadString(flexible, "MemberId"),
            GroupInstanceId = reader.ReadNullableString(flexible, "GroupInstanceId"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("LeaveGroupRequestMember");
        }

        return member;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= LeaveGroupRequest.FirstFlexibleVersion;
        writer.WriteString(MemberId, flexible, "MemberId");
        writer.WriteNullableString(GroupInstanceId, flexible, "GroupInstanceId");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
