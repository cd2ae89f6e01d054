namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// ListGroups response (key 16), versions 0-4, flexible from v3.
/// v1 adds the throttle time; v4 adds each group's state.
/// </summary>
public sealed class ListGroupsResponse : IKafkaMessage<ListGroupsResponse>
{
    internal const short FirstFlexibleVersion = 3;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.ListGroups;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 4;

    /// <summary>Milliseconds the response was throttled for a quota violation, 0 if it was not (v1+).</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The error code, or 0 if there was no error.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The groups the coordinator knows.</summary>
    public IReadOnlyList<ListedGroup> Groups { get; set; } = [];

    /// <inheritdoc/>
    public static ListGroupsResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<ListGroupsResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new ListGroupsResponse();
        if (version >= 1)
        {
            message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        }

        message.ErrorCode = reader.ReadInt16("ErrorCode");

        message.Groups = reader.ReadArray<ListedGroup>(flexible, version, "Groups");

        if (flexible)
        {
            reader.SkipTaggedFields("ListGroupsResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<ListGroupsResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 1)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }

        writer.WriteInt16(ErrorCode);
        writer.WriteArray(Groups, flexible, version, "Groups");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
