namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The result for one leaving member in a LeaveGroup response v3+ (Kafka's <c>MemberResponse</c>).</summary>
public sealed class LeaveGroupResponseMember : IKafkaStruct<LeaveGroupResponseMember>
{
    /// <summary>The member id.</summary>
    public string MemberId { get; set; } = "";

    /// <summary>The static group instance id, or null.</summary>
    public string? GroupInstanceId { get; set; } = "";

    /// <summary>The error code for this member, or 0 if there was no error.</summary>
    public short ErrorCode { get; set; }

    /// <inheritdoc/>
    public static LeaveGroupResponseMember Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= LeaveGroupResponse.FirstFlexibleVersion;
        var member = new LeaveGroupResponseMember
        {
            MemberId = reader.ReadString(flexible, "MemberId"),
            GroupInstanceId = reader.ReadNullableString(flexible, "GroupInstanceId"),
            ErrorCode = reader.ReadInt16("ErrorCode"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("LeaveGroupResponseMember");
        }

        return member;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= LeaveGroupResponse.FirstFlexibleVersion;
        writer.WriteString(MemberId, flexible, "MemberId");
        writer.WriteNullableString(GroupInstanceId, flexible, "GroupInstanceId");
        writer.WriteInt16(ErrorCode);

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
