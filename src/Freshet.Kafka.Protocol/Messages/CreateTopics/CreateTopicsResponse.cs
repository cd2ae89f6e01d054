namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// CreateTopics response (key 19), versions 0-4; flexible from v5, beyond this codec's range.
/// v1 adds a per-topic error message; v2 adds the throttle time. (The topic configs, partition count and
/// replication factor of v5+ are beyond this range.)
/// </summary>
public sealed class CreateTopicsResponse : IKafkaMessage<CreateTopicsResponse>
{
    internal const short FirstFlexibleVersion = 5;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.CreateTopics;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 4;

    /// <summary>Milliseconds the response was throttled for a quota violation, 0 if it was not (v2+).</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The result for each topic.</summary>
    public IReadOnlyList<CreatableTopicResult> Topics { get; set; } = [];

    /// <inheritdoc/>
    public static CreateTopicsResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<CreateTopicsResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new CreateTopicsResponse();
        if (version >= 2)
        {
            message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        }

        message.Topics = reader.ReadArray<CreatableTopicResult>(flexible, version, "Topics");

        if (flexible)
        {
            reader.SkipTaggedFields("CreateTopicsResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<CreateTopicsResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 2)
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
