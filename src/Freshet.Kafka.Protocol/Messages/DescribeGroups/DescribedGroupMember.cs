namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One member of a group in a DescribeGroups response.</summary>
public sealed class DescribedGroupMember : IKafkaStruct<DescribedGroupMember>
{
    /// <summary>The member id the coordinator assigned.</summary>
    public string MemberId { get; set; } = "";

    /// <summary>The static group instance id, or null (v4+).</summary>
    public string? GroupInstanceId { get; set; }

    /// <summary>The client id of the member's latest JoinGroup request.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The member's host, as the coordinator saw it.</summary>
    public string ClientHost { get; set; } = "";

    /// <summary>The member's metadata for the chosen protocol (when the group is stable).</summary>
    public byte[] MemberMetadata { get; set; } = [];

    /// <summary>The member's assignment from the leader (when the group is stable).</summary>
    public byte[] MemberAssignment { get; set; } = [];

    /// <inheritdoc/>
    public static DescribedGroupMember Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= DescribeGroupsResponse.FirstFlexibleVersion;
        var member = new DescribedGroupMember
        {
            MemberId = reader.ReadString(flexible, "MemberId"),
        };
        if (version >= 4)
        {
            member.GroupInstanceId = reader.ReadNullableString(flexible, "GroupInstanceId");
        }

        member.ClientId = reader.ReadString(flexible, "ClientId");

        member.ClientHost = reader.ReadString(flexible, "ClientHost");

        member.MemberMetadata = reader.ReadBytes(flexible, "MemberMetadata");

        member.MemberAssignment = reader.ReadBytes(flexible, "MemberAssignment");

        if (flexible)
        {
            reader.SkipTaggedFields("DescribedGroupMember");
        }

        return member;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= DescribeGroupsResponse.FirstFlexibleVersion;
        writer.WriteString(MemberId, flexible, "MemberId");
        if (version >= 4)
        {
            writer.WriteNullableString(GroupInstanceId, flexible, "GroupInstanceId");
        }

        writer.WriteString(ClientId, flexible, "ClientId");
        writer.WriteString(ClientHost, flexible, "ClientHost");
        writer.WriteBytes(MemberMetadata, flexible, "MemberMetadata");
        writer.WriteBytes(MemberAssignment, flexible, "MemberAssignment");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
