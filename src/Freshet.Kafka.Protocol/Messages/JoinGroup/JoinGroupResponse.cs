namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// JoinGroup response (key 11), versions 0-5; flexible from v6, beyond this codec's range.
/// Names the generation, the chosen protocol and the leader; only the leader receives the member list
/// (with each member's metadata), from which it computes the assignment it sends in SyncGroup.
/// v2 adds the throttle time; v5 adds each member's group instance id.
/// </summary>
public sealed class JoinGroupResponse : IKafkaMessage<JoinGroupResponse>
{
    internal const short FirstFlexibleVersion = 6;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.JoinGroup;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 5;

    /// <summary>Milliseconds the response was throttled for a quota violation, 0 if it was not (v2+).</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The error code, or 0 if there was no error.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The generation of the group; -1 by default.</summary>
    public int GenerationId { get; set; } = -1;

    /// <summary>The assignment protocol the coordinator chose.</summary>
    public string ProtocolName { get; set; } = "";

    /// <summary>The member id of the group leader.</summary>
    public string Leader { get; set; } = "";

    /// <summary>The member id the coordinator assigned to the requester.</summary>
    public string MemberId { get; set; } = "";

    /// <summary>The group's members; filled in only in the leader's response.</summary>
    public IReadOnlyList<JoinGroupResponseMember> Members { get; set; } = [];

    /// <inheritdoc/>
    public static JoinGroupResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<JoinGroupResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new JoinGroupResponse();
        if (version >= 2)
        {
            message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        }

        message.ErrorCode = reader.ReadInt16("ErrorCode");

        message.GenerationId = reader.ReadInt32("GenerationId");

        message.ProtocolName = reader.ReadString(flexible, "ProtocolName");

        message.Leader = reader.ReadString(flexible, "Leader");

        message.MemberId = reader.ReadString(flexible, "MemberId");

        message.Members = reader.ReadArray<JoinGroupResponseMember>(flexible, version, "Members");

        if (flexible)
        {
            reader.SkipTaggedFields("JoinGroupResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<JoinGroupResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 2)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }

        writer.WriteInt16(ErrorCode);
        writer.WriteInt32(GenerationId);
        writer.WriteString(ProtocolName, flexible, "ProtocolName");
        writer.WriteString(Leader, flexible, "Leader");
        writer.WriteString(MemberId, flexible, "MemberId");
        writer.WriteArray(Members, flexible, version, "Members");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
