namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One group in a ListGroups response.</summary>
public sealed class ListedGroup : IKafkaStruct<ListedGroup>
{
    /// <summary>The group id.</summary>
    public string GroupId { get; set; } = "";

    /// <summary>The protocol type, for example "consumer"; "" for groups that only commit offsets.</summary>
    public string ProtocolType { get; set; } = "";

    /// <summary>The group state (v4+).</summary>
    public string GroupState { get; set; } = "";

    /// <inheritdoc/>
    public static ListedGroup Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= ListGroupsResponse.FirstFlexibleVersion;
        var group = new ListedGroup
        {
            GroupId = reader.ReadString(flexible, "GroupId"),
            ProtocolType = reader.ReadString(flexible, "ProtocolType"),
        };
        if (version >= 4)
        {
            group.GroupState = reader.ReadString(flexible, "GroupState");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("ListedGroup");
        }

        return group;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= ListGroupsResponse.FirstFlexibleVersion;
        writer.WriteString(GroupId, flexible, "GroupId");
        writer.WriteString(ProtocolType, flexible, "ProtocolType");
        if (version >= 4)
        {
            writer.WriteString(GroupState, flexible, "GroupState");
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
