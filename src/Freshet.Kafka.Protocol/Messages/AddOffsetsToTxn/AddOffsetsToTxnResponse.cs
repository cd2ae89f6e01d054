namespace Freshet.Kafka.Protocol.Messages;

/// <summary>AddOffsetsToTxn response (key 25), versions 0-3, flexible from 3.</summary>
public sealed class AddOffsetsToTxnResponse : IKafkaMessage<AddOffsetsToTxnResponse>
{
    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.AddOffsetsToTxn;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 3;

    /// <summary>Milliseconds the request was throttled for a quota, 0 if not.</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The error code, 0 if none.</summary>
    public short ErrorCode { get; set; }

    /// <inheritdoc/>
    public static AddOffsetsToTxnResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<AddOffsetsToTxnResponse>(version);
        bool flexible = version >= AddOffsetsToTxnRequest.FirstFlexibleVersion;
        var message = new AddOffsetsToTxnResponse();
        message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        message.ErrorCode = reader.ReadInt16("ErrorCode");
        if (flexible)
        {
            reader.SkipTaggedFields("AddOffsetsToTxnResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<AddOffsetsToTxnResponse>(version);
        bool flexible = version >= AddOffsetsToTxnRequest.FirstFlexibleVersion;
        writer.WriteInt32(ThrottleTimeMs);
        writer.WriteInt16(ErrorCode);
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
