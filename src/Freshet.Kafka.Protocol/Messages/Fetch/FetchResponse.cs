namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// Fetch response (key 1), versions 4-12, flexible from 12: per partition the high watermark, last
/// stable offset, aborted transactions and the record batches. v5 adds the log start offset, v7 the
/// top-level error and session id, v11 the preferred read replica, v12 three tagged partition fields.
/// The records are written from <see cref="FetchResponsePartition.Records"/> as they are (stored log
/// bytes pass straight through) and decoded as slices of the input.
/// </summary>
public sealed class FetchResponse : IKafkaMessage<FetchResponse>
{
    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.Fetch;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 4;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 12;

    /// <summary>Milliseconds the request was throttled for a quota, 0 if not.</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The top-level error code (v7+), 0 if none.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The fetch session id (v7+), 0 outside a session.</summary>
    public int SessionId { get; set; }

    /// <summary>The result per topic.</summary>
    public IReadOnlyList<FetchableTopicResponse> Responses { get; set; } = [];

    /// <inheritdoc/>
    public static FetchResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<FetchResponse>(version);
        bool flexible = version >= FetchRequest.FirstFlexibleVersion;
        var message = new FetchResponse { ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs") };
        if (version >= 7)
        {
            message.ErrorCode = reader.ReadInt16("ErrorCode");
            message.SessionId = reader.ReadInt32("SessionId");
        }

        message.Responses = reader.ReadArray<FetchableTopicResponse>(flexible, version, "Responses");
        if (flexible)
        {
            reader.SkipTaggedFields("FetchResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<FetchResponse>(version);
        bool flexible = version >= FetchRequest.FirstFlexibleVersion;
        writer.WriteInt32(ThrottleTimeMs);
        if (version >= 7)
        {
            writer.WriteInt16(ErrorCode);
            writer.WriteInt32(SessionId);
        }

        writer.WriteArray(Responses, flexible, version, "Responses");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
