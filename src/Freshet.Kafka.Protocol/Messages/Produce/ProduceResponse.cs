namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// Produce response (key 0), versions 3-9, flexible from 9: per partition the error and the assigned
/// base offset. v5 adds the log start offset, v8 per-record errors and an error message. Not sent at
/// all for acks 0.
/// </summary>
public sealed class ProduceResponse : IKafkaMessage<ProduceResponse>
{
    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.Produce;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 3;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 9;

    /// <summary>The result per topic.</summary>
    public IReadOnlyList<TopicProduceResponse> Responses { get; set; } = [];

    /// <summary>Milliseconds the request was throttled for a quota, 0 if not.</summary>
    public int ThrottleTimeMs { get; set; }

    /// <inheritdoc/>
    public static ProduceResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<ProduceResponse>(version);
        bool flexible = version >= ProduceRequest.FirstFlexibleVersion;
        var message = new ProduceResponse
        {
            Responses = reader.ReadArray<TopicProduceResponse>(flexible, version, "Responses"),
            ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs"),
        };
        if (flexible)
        {
            reader.SkipTaggedFields("ProduceResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<ProduceResponse>(version);
        bool flexible = version >= ProduceRequest.FirstFlexibleVersion;
        writer.WriteArray(Responses, flexible, version, "Responses");
        writer.WriteInt32(ThrottleTimeMs);
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
