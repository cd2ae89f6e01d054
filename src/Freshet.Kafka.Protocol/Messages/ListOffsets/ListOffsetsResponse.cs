namespace Freshet.Kafka.Protocol.Messages;

/// <summary>ListOffsets response (key 2), versions 1-7, flexible from 6: per partition the offset found and its timestamp. v2 adds the throttle time, v4 the leader epoch.</summary>
public sealed class ListOffsetsResponse : IKafkaMessage<ListOffsetsResponse>
{
    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.ListOffsets;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 1;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 7;

    /// <summary>Milliseconds the request was throttled for a quota, 0 if not (v2+).</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The result per topic.</summary>
    public IReadOnlyList<ListOffsetsTopicResponse> Topics { get; set; } = [];

    /// <inheritdoc/>
    public static ListOffsetsResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<ListOffsetsResponse>(version);
        bool flexible = version >= ListOffsetsRequest.FirstFlexibleVersion;
        var message = new ListOffsetsResponse();
        if (version >= 2)
        {
            message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        }

        message.Topics = reader.ReadArray<ListOffsetsTopicResponse>(flexible, version, "Topics");
        if (flexible)
        {
            reader.SkipTaggedFields("ListOffsetsResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<ListOffsetsResponse>(version);
        bool flexible = version >= ListOffsetsRequest.FirstFlexibleVersion;
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
