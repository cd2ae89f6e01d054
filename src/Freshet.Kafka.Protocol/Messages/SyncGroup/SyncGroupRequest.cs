namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// SyncGroup request (key 14), versions 0-3; flexible from v4, beyond this codec's range.
/// After a JoinGroup round the leader sends every member's assignment; followers send an empty list
/// and wait for their own. v3 adds the static group instance id.
/// </summary>
public sealed class SyncGroupRequest : IKafkaMessage<SyncGroupRequest>
{
    internal const short FirstFlexibleVersion = 4;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.SyncGroup;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 3;

    /// <summary>The group.</summary>
    public string GroupId { get; set; } = "";

    /// <summary>The generation the member joined.</summary>
    public int GenerationId { get; set; }

    /// <summary>The member id the coordinator assigned.</summary>
    public string MemberId { get; set; } = "";

    /// <summary>The static group instance id, or null (v3+).</summary>
    public string? GroupInstanceId { get; set; }

    /// <summary>Each member's assignment (from the leader only; empty from followers).</summary>
    public IReadOnlyList<SyncGroupRequestAssignment> Assignments { get; set; } = [];

    /// <inheritdoc/>
    public static SyncGroupRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<SyncGroupRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new SyncGroupRequest
        {
            GroupId = reader.ReadString(flexible, "GroupId"),
            GenerationId = reader.ReadInt32("GenerationId"),
            MemberId = reader.ReadString(flexible, "MemberId"),
        };
        if (version >= 3)
        {
            message.GroupInstanceId = reader.ReadNullableString(flexible, "GroupInstanceId");
        }

        message.Assignments = reader.ReadArray<SyncGroupRequestAssignment>(flexible, version, "Assignments");

        if (flexible)
        {
            reader.SkipTaggedFields("SyncGroupRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<SyncGroupRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteString(GroupId, flexible, "GroupId");
        writer.WriteInt32(GenerationId);
        writer.WriteString(MemberId, flexible, "MemberId");
        if (version >= 3)
        {
            writer.WriteNullableString(GroupInstanceId, flexible, "GroupInstanceId");
        }

        writer.WriteArray(Assignments, flexible, version, "Assignments");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
