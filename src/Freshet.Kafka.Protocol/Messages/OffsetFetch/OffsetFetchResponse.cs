namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// OffsetFetch response (key 9), versions 1-7, flexible from v6.
/// v2 adds a top-level error code (after the topics); v3 adds the throttle time; v5 adds each
/// partition's leader epoch.
/// </summary>
public sealed class OffsetFetchResponse : IKafkaMessage<OffsetFetchResponse>
{
    internal const short FirstFlexibleVersion = 6;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.OffsetFetch;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 1;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 7;

    /// <summary>Milliseconds the response was throttled for a quota violation, 0 if it was not (v3+).</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The committed offsets for each topic.</summary>
    public IReadOnlyList<OffsetFetchResponseTopic> Topics { get; set; } = [];

    /// <summary>The top-level error code, or 0 if there was no error (v2+).</summary>
    public short ErrorCode { get; set; }

    /// <inheritdoc/>
    public static OffsetFetchResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<OffsetFetchResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new OffsetFetchResponse();
        if (version >= 3)
        {
            message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        }

        message.Topics = reader.ReadArray<OffsetFetchResponseTopic>(flexible, version, "Topics");

        if (version >= 2)
        {
            message.ErrorCode = reader.ReadInt16("ErrorCode");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("OffsetFetchResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<OffsetFetchResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 3)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }

        writer.WriteArray(Topics, flexible, version, "Topics");
        if (version >= 2)
        {
            writer.WriteInt16(ErrorCode);
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
