namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// OffsetFetch request (key 9), versions 1-7, flexible from v6.
/// Asks for a group's committed offsets. From v2 a null topic list asks for every topic the group has
/// committed; v7 adds RequireStable (answer UNSTABLE_OFFSET_COMMIT rather than an offset a pending
/// transaction may still change). v8 (several groups per request) is not supported.
/// </summary>
public sealed class OffsetFetchRequest : IKafkaMessage<OffsetFetchRequest>
{
    internal const short FirstFlexibleVersion = 6;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.OffsetFetch;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 1;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 7;

    /// <summary>The group whose offsets to fetch.</summary>
    public string GroupId { get; set; } = "";

    /// <summary>The topics and partitions to fetch, or null for all of the group's topics (null allowed from v2).</summary>
    public IReadOnlyList<OffsetFetchRequestTopic>? Topics { get; set; } = [];

    /// <summary>Whether to refuse offsets that a pending transaction may still change (v7+).</summary>
    public bool RequireStable { get; set; }

    /// <inheritdoc/>
    public static OffsetFetchRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<OffsetFetchRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new OffsetFetchRequest
        {
            GroupId = reader.ReadString(flexible, "GroupId"),
            Topics = version >= 2
                ? reader.ReadNullableArray<OffsetFetchRequestTopic>(flexible, version, "Topics")
                : reader.ReadArray<OffsetFetchRequestTopic>(flexible, version, "Topics"),
        };
        if (version >= 7)
        {
            message.RequireStable = reader.ReadBool("RequireStable");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("OffsetFetchRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<OffsetFetchRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteString(GroupId, flexible, "GroupId");

        if (version >= 2)
        {
            writer.WriteNullableArray(Topics, flexible, version, "Topics");
        }
        else
        {
            writer.WriteArray(Topics, flexible, version, "Topics");
        }

        if (version >= 7)
        {
            writer.WriteBool(RequireStable);
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
