namespace Freshet.Kafka.Protocol.Messages;

/// <summary>InitProducerId response (key 22), versions 0-4, flexible from 2: the producer id and epoch assigned.</summary>
public sealed class InitProducerIdResponse : IKafkaMessage<InitProducerIdResponse>
{
    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.InitProducerId;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 4;

    /// <summary>Milliseconds the request was throttled for a quota, 0 if not.</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The error code, 0 if none.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The producer id assigned, -1 on error.</summary>
    public long ProducerId { get; set; } = -1;

    /// <summary>The producer epoch assigned.</summary>
    public short ProducerEpoch { get; set; }

    /// <inheritdoc/>
    public static InitProducerIdResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<InitProducerIdResponse>(version);
        bool flexible = version >= InitProducerIdRequest.FirstFlexibleVersion;
        var message = new InitProducerIdResponse
        {
            ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs"),
            ErrorCode = reader.ReadInt16("ErrorCode"),
            ProducerId = reader.ReadInt64("ProducerId"),
            ProducerEpoch = reader.ReadInt16("ProducerEpoch"),
        };
        if (flexible)
        {
            reader.SkipTaggedFields("InitProducerIdResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<InitProducerIdResponse>(version);
        bool flexible = version >= InitProducerIdRequest.FirstFlexibleVersion;
        writer.WriteInt32(ThrottleTimeMs);
        writer.WriteInt16(ErrorCode);
        writer.WriteInt64(ProducerId);
        writer.WriteInt16(ProducerEpoch);
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
