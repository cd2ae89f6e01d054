namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One group in a DescribeGroups response: its state, protocol and members.</summary>
public sealed class DescribedGroup : IKafkaStruct<DescribedGroup>
{
    /// <summary>The error code, or 0 if there was no error.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The group id.</summary>
    public string GroupId { get; set; } = "";

    /// <summary>The group state (for example "Stable", "PreparingRebalance", "Empty", "Dead"), or "".</summary>
    public string GroupState { get; set; } = "";

    /// <summary>The protocol type, for example "consumer", or "".</summary>
    public string ProtocolType { get; set; } = "";

    /// <summary>The chosen assignment protocol (filled in when the group is stable), or "".</summary>
    public string ProtocolData { get; set; } = "";

    /// <summary>The members (empty when the group is dead).</summary>
    public IReadOnlyList<DescribedGroupMember> Members { get; set; } = [];

    /// <summary>A bit field of the operations the caller may perform, or int.MinValue when not requested (v3+).</summary>
    public int AuthorizedOperations { get; set; } = int.MinValue;

    /// <inheritdoc/>
    public static DescribedGroup Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= DescribeGroupsResponse.FirstFlexibleVersion;
        var group = new DescribedGroup
        {
            ErrorCode = reader.ReadInt16("ErrorCode"),
            GroupId = reader.ReadString(flexible, "GroupId"),
            GroupState = reader.ReadString(flexible, "GroupState"),
            ProtocolType = reader.ReadString(flexible, "ProtocolType"),
            ProtocolData = reader.ReadString(flexible, "ProtocolData"),
            Members = reader.ReadArray<DescribedGroupMember>(flexible, version, "Members"),
        };
        if (version >= 3)
        {
            group.AuthorizedOperations = reader.ReadInt32("AuthorizedOperations");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("DescribedGroup");
        }

        return group;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= DescribeGroupsResponse.FirstFlexibleVersion;
        writer.WriteInt16(ErrorCode);
        writer.WriteString(GroupId, flexible, "GroupId");
        writer.WriteString(GroupState, flexible, "GroupState");
        writer.WriteString(ProtocolType, flexible, "ProtocolType");
        writer.WriteString(ProtocolData, flexible, "ProtocolData");
        writer.WriteArray(Members, flexible, version, "Members");
        if (version >= 3)
        {
            writer.WriteInt32(AuthorizedOperations);
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
