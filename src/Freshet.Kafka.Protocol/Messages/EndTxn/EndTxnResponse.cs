namespace Freshet.Kafka.Protocol.Messages;

/// <summary>EndTxn response (key 26), versions 0-3, flexible from 3.</summary>
public sealed class EndTxnResponse : IKafkaMessage<EndTxnResponse>
{
    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.EndTxn;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 3;

    /// <summary>Milliseconds the request was throttled for a quota, 0 if not.</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The error code, 0 if none.</summary>
    public short ErrorCode { get; set; }

    /// <inheritdoc/>
    public static EndTxnResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<EndTxnResponse>(version);
        bool flexible = version >= EndTxnRequest.FirstFlexibleVersion;
        var message = new EndTxnResponse();
        message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        message.ErrorCode = reader.ReadInt16("ErrorCode");
        if (flexible)
        {
            reader.SkipTaggedFields("EndTxnResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<EndTxnResponse>(version);
        bool flexible = version >= EndTxnRequest.FirstFlexibleVersion;
        writer.WriteInt32(ThrottleTimeMs);
        writer.WriteInt16(ErrorCode);
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
