namespace Freshet.Kafka.Protocol.Messages;

/// <summary>DeleteTopics response (key 20), versions 0-4, flexible from v4. v1 adds the throttle time.</summary>
public sealed class DeleteTopicsResponse : IKafkaMessage<DeleteTopicsResponse>
{
    internal const short FirstFlexibleVersion = 4;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.DeleteTopics;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 4;

    /// <summary>Milliseconds the response was throttled for a quota violation, 0 if it was not (v1+).</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The result for each topic.</summary>
    public IReadOnlyList<DeletableTopicResult> Responses { get; set; } = [];

    /// <inheritdoc/>
    public static DeleteTopicsResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<DeleteTopicsResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new DeleteTopicsResponse();
        if (version >= 1)
        {
            message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        }

        message.Responses = reader.ReadArray<DeletableTopicResult>(flexible, version, "Responses");

        if (flexible)
        {
            reader.SkipTaggedFields("DeleteTopicsResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<DeleteTopicsResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 1)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }

        writer.WriteArray(Responses, flexible, version, "Responses");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
