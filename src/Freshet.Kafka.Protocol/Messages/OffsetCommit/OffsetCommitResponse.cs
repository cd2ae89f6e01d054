namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// OffsetCommit response (key 8), versions 2-8, flexible from v8: an error code per partition.
/// v3 adds the throttle time.
/// </summary>
public sealed class OffsetCommitResponse : IKafkaMessage<OffsetCommitResponse>
{
    internal const short FirstFlexibleVersion = 8;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.OffsetCommit;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 2;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 8;

    /// <summary>Milliseconds the response was throttled for a quota violation, 0 if it was not (v3+).</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The result for each topic.</summary>
    public IReadOnlyList<OffsetCommitResponseTopic> Topics { get; set; } = [];

    /// <inheritdoc/>
    public static OffsetCommitResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<OffsetCommitResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new OffsetCommitResponse();
        if (version >= 3)
        {
            message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        }

        message.Topics = reader.ReadArray<OffsetCommitResponseTopic>(flexible, version, "Topics");

        if (flexible)
        {
            reader.SkipTaggedFields("OffsetCommitResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<OffsetCommitResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 3)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }

        writer.WriteArray(Topics, flexible, version, "Topics");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
