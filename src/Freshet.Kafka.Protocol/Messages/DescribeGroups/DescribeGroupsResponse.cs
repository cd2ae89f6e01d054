namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// DescribeGroups response (key 15), versions 0-5, flexible from v5.
/// v1 adds the throttle time; v3 the authorized operations; v4 each member's group instance id.
/// </summary>
public sealed class DescribeGroupsResponse : IKafkaMessage<DescribeGroupsResponse>
{
    internal const short FirstFlexibleVersion = 5;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.DescribeGroups;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 5;

    /// <summary>Milliseconds the response was throttled for a quota violation, 0 if it was not (v1+).</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>One description per requested group.</summary>
    public IReadOnlyList<DescribedGroup> Groups { get; set; } = [];

    /// <inheritdoc/>
    public static DescribeGroupsResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<DescribeGroupsResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new DescribeGroupsResponse();
        if (version >= 1)
        {
            message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        }

        message.Groups = reader.ReadArray<DescribedGroup>(flexible, version, "Groups");

        if (flexible)
        {
            reader.SkipTaggedFields("DescribeGroupsResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<DescribeGroupsResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 1)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }

        writer.WriteArray(Groups, flexible, version, "Groups");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
