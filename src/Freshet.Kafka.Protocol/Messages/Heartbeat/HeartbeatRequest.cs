namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// Heartbeat request (key 12), versions 0-3; flexible from v4, beyond this codec's range.
/// Keeps a membership alive; the answer tells the member when a rebalance is in progress.
/// v3 adds the static group instance id.
/// </summary>
public sealed class HeartbeatRequest : IKafkaMessage<HeartbeatRequest>
{
    internal const short FirstFlexibleVersion = 4;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.Heartbeat;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 3;

    /// <summary>The group.</summary>
    public string GroupId { get; set; } = "";

    /// <summary>The generation the member belongs to.</summary>
    public int GenerationId { get; set; }

    /// <summary>The member id.</summary>
    public string MemberId { get; set; } = "";

    /// <summary>The static group instance id, or null (v3+).</summary>
    public string? GroupInstanceId { get; set; }

    /// <inheritdoc/>
    public static HeartbeatRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<HeartbeatRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new HeartbeatRequest
        {
            GroupId = reader.ReadString(flexible, "GroupId"),
            GenerationId = reader.ReadInt32("GenerationId"),
            MemberId = reader.ReadString(flexible, "MemberId"),
        };
        if (version >= 3)
        {
            message.GroupInstanceId = reader.ReadNullableString(flexible, "GroupInstanceId");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("HeartbeatRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<HeartbeatRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteString(GroupId, flexible, "GroupId");
        writer.WriteInt32(GenerationId);
        writer.WriteString(MemberId, flexible, "MemberId");
        if (version >= 3)
        {
            writer.WriteNullableString(GroupInstanceId, flexible, "GroupInstanceId");
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
