namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// Heartbeat response (key 12), versions 0-3; flexible from v4, beyond this codec's range.
/// An error of REBALANCE_IN_PROGRESS tells the member to rejoin. v1 adds the throttle time.
/// </summary>
public sealed class HeartbeatResponse : IKafkaMessage<HeartbeatResponse>
{
    internal const short FirstFlexibleVersion = 4;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.Heartbeat;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 3;

    /// <summary>Milliseconds the response was throttled for a quota violation, 0 if it was not (v1+).</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The error code, or 0 if there was no error.</summary>
    public short ErrorCode { get; set; }

    /// <inheritdoc/>
    public static HeartbeatResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<HeartbeatResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new HeartbeatResponse();
        if (version >= 1)
        {
            message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        }

        message.ErrorCode = reader.ReadInt16("ErrorCode");

        if (flexible)
        {
            reader.SkipTaggedFields("HeartbeatResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<HeartbeatResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 1)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }

        writer.WriteInt16(ErrorCode);

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
