namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// JoinGroup request (key 11), versions 0-5; flexible from v6, beyond this codec's range.
/// A member asks the coordinator to join a group and lists the assignment protocols it supports.
/// v1 adds the rebalance timeout; from v4 a member without an id is first answered with
/// MEMBER_ID_REQUIRED and rejoins with the id it was given; v5 adds the static group instance id.
/// </summary>
public sealed class JoinGroupRequest : IKafkaMessage<JoinGroupRequest>
{
    internal const short FirstFlexibleVersion = 6;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.JoinGroup;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 5;

    /// <summary>The group to join.</summary>
    public string GroupId { get; set; } = "";

    /// <summary>Milliseconds without a heartbeat after which the coordinator considers the member dead.</summary>
    public int SessionTimeoutMs { get; set; }

    /// <summary>Milliseconds the coordinator waits for each member to rejoin during a rebalance; -1 when absent, and then the session timeout applies (v1+).</summary>
    public int RebalanceTimeoutMs { get; set; } = -1;

    /// <summary>The member id the coordinator assigned, or "" on a first join.</summary>
    public string MemberId { get; set; } = "";

    /// <summary>The static member identity given by the user (group.instance.id), or null (v5+).</summary>
    public string? GroupInstanceId { get; set; }

    /// <summary>The class of protocols the group implements, for example "consumer".</summary>
    public string ProtocolType { get; set; } = "";

    /// <summary>The assignment protocols the member supports, in order of preference.</summary>
    public IReadOnlyList<JoinGroupRequestProtocol> Protocols { get; set; } = [];

    /// <inheritdoc/>
    public static JoinGroupRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<JoinGroupRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new JoinGroupRequest
        {
            GroupId = reader.ReadString(flexible, "GroupId"),
            SessionTimeoutMs = reader.ReadInt32("SessionTimeoutMs"),
        };
        if (version >= 1)
        {
            message.RebalanceTimeoutMs = reader.ReadInt32("RebalanceTimeoutMs");
        }

        message.MemberId = reader.ReadString(flexible, "MemberId");

        if (version >= 5)
        {
            message.GroupInstanceId = reader.ReadNullableString(flexible, "GroupInstanceId");
        }

        message.ProtocolType = reader.ReadString(flexible, "ProtocolType");

        message.Protocols = reader.ReadArray<JoinGroupRequestProtocol>(flexible, version, "Protocols");

        if (flexible)
        {
            reader.SkipTaggedFields("JoinGroupRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<JoinGroupRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteString(GroupId, flexible, "GroupId");
        writer.WriteInt32(SessionTimeoutMs);
        if (version >= 1)
        {
            writer.WriteInt32(RebalanceTimeoutMs);
        }

        writer.WriteString(MemberId, flexible, "MemberId");
        if (version >= 5)
        {
            writer.WriteNullableString(GroupInstanceId, flexible, "GroupInstanceId");
        }

        writer.WriteString(ProtocolType, flexible, "ProtocolType");
        writer.WriteArray(Protocols, flexible, version, "Protocols");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
