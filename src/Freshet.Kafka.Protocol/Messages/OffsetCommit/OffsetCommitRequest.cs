namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// OffsetCommit request (key 8), versions 2-8, flexible from v8.
/// Commits consumed positions for a group. v2-4 carry a retention time (removed in v5, when the broker's
/// configuration alone decides); v6 adds each partition's leader epoch; v7 adds the static group instance id.
/// Versions 0 and 1 (with the v1-only commit timestamp) are not supported.
/// </summary>
public sealed class OffsetCommitRequest : IKafkaMessage<OffsetCommitRequest>
{
    internal const short FirstFlexibleVersion = 8;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.OffsetCommit;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 2;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 8;

    /// <summary>The group committing offsets.</summary>
    public string GroupId { get; set; } = "";

    /// <summary>The generation of the classic group protocol (the member epoch under KIP-848), or -1 for a commit from outside the group; -1 by default.</summary>
    public int GenerationIdOrMemberEpoch { get; set; } = -1;

    /// <summary>The member id the coordinator assigned, or "" for a commit from outside the group.</summary>
    public string MemberId { get; set; } = "";

    /// <summary>The static group instance id, or null (v7+).</summary>
    public string? GroupInstanceId { get; set; }

    /// <summary>Milliseconds to retain the offsets, or -1 for the broker's default (v2-4).</summary>
    public long RetentionTimeMs { get; set; } = -1;

    /// <summary>The topics to commit offsets for.</summary>
    public IReadOnlyList<OffsetCommitRequestTopic> Topics { get; set; } = [];

    /// <inheritdoc/>
    public static OffsetCommitRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<OffsetCommitRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new OffsetCommitRequest
        {
            GroupId = reader.ReadString(flexible, "GroupId"),
            GenerationIdOrMemberEpoch = reader.ReadInt32("GenerationIdOrMemberEpoch"),
            MemberId = reader.ReadString(flexible, "MemberId"),
        };
        if (version >= 7)
        {
            message.GroupInstanceId = reader.ReadNullableString(flexible, "GroupInstanceId");
        }

        if (version <= 4)
        {
            message.RetentionTimeMs = reader.ReadInt64("RetentionTimeMs");
        }

        message.Topics = reader.ReadArray<OffsetCommitRequestTopic>(flexible, version, "Topics");

        if (flexible)
        {
            reader.SkipTaggedFields("OffsetCommitRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<OffsetCommitRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteString(GroupId, flexible, "GroupId");
        writer.WriteInt32(GenerationIdOrMemberEpoch);
        writer.WriteString(MemberId, flexible, "MemberId");
        if (version >= 7)
        {
            writer.WriteNullableString(GroupInstanceId, flexible, "GroupInstanceId");
        }

        if (version <= 4)
        {
            writer.WriteInt64(RetentionTimeMs);
        }

        writer.WriteArray(Topics, flexible, version, "Topics");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
