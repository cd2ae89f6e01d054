namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One member of the group as the leader sees it in a JoinGroup response.</summary>
public sealed class JoinGroupResponseMember : IKafkaStruct<JoinGroupResponseMember>
{
    /// <summary>The member's id.</summary>
    public string MemberId { get; set; } = "";

    /// <summary>The member's static group instance id, or null (v5+).</summary>
    public string? GroupInstanceId { get; set; }

    /// <summary>The member's metadata for the chosen protocol.</summary>
    public byte[] Metadata { get; set; } = [];

    /// <inheritdoc/>
    public static JoinGroupResponseMember Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= JoinGroupResponse.FirstFlexibleVersion;
        var member = new JoinGroupResponseMember
        {
            MemberId = reader.ReadString(flexible, "MemberId"),
        };
        if (version >= 5)
        {
            member.GroupInstanceId = reader.ReadNullableString(flexible, "GroupInstanceId");
        }

        member.Metadata = reader.ReadBytes(flexible, "Metadata");

        if (flexible)
        {
            reader.SkipTaggedFields("JoinGroupResponseMember");
        }

        return member;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= JoinGroupResponse.FirstFlexibleVersion;
        writer.WriteString(MemberId, flexible, "MemberId");
        if (version >= 5)
        {
            writer.WriteNullableString(GroupInstanceId, flexible, "GroupInstanceId");
        }

        writer.WriteBytes(Metadata, flexible, "Metadata");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
