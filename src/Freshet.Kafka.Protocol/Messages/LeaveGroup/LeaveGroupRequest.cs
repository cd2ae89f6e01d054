namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// LeaveGroup request (key 13), versions 0-3; flexible from v4, beyond this codec's range.
/// v0-2 name one leaving member; v3 replaces that with a batch of member identities (member id and
/// static group instance id), so several static members can be removed at once.
/// </summary>
public sealed class LeaveGroupRequest : IKafkaMessage<LeaveGroupRequest>
{
    internal const short FirstFlexibleVersion = 4;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.LeaveGroup;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 3;

    /// <summary>The group to leave.</summary>
    public string GroupId { get; set; } = "";

    /// <summary>The leaving member's id (v0-2).</summary>
    public string MemberId { get; set; } = "";

    /// <summary>The leaving members (v3+).</summary>
    public IReadOnlyList<LeaveGroupRequestMember> Members { get; set; } = [];

    /// <inheritdoc/>
    public static LeaveGroupRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<LeaveGroupRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new LeaveGroupRequest
        {
            GroupId = reader.ReadString(flexible, "GroupId"),
        };
        if (version <= 2)
        {
            message.MemberId = reader.ReadString(flexible, "MemberId");
        }

        if (version >= 3)
        {
            message.Members = reader.ReadArray<LeaveGroupRequestMember>(flexible, version, "Members");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("LeaveGroupRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<LeaveGroupRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteString(GroupId, flexible, "GroupId");
        if (version <= 2)
        {
            writer.WriteString(MemberId, flexible, "MemberId");
        }

        if (version >= 3)
        {
            writer.WriteArray(Members, flexible, version, "Members");
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
