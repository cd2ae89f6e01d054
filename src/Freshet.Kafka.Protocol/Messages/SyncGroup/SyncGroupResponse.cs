namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// SyncGroup response (key 14), versions 0-3; flexible from v4, beyond this codec's range.
/// Carries the requesting member's own assignment. v1 adds the throttle time.
/// </summary>
public sealed class SyncGroupResponse : IKafkaMessage<SyncGroupResponse>
{
    internal const short FirstFlexibleVersion = 4;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.SyncGroup;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 3;

    /// <summary>Milliseconds the response was throttled for a quota violation, 0 if it was not (v1+).</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The error code, or 0 if there was no error.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The requesting member's assignment.</summary>
    public byte[] Assignment { get; set; } = [];

    /// <inheritdoc/>
    public static SyncGroupResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<SyncGroupResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new SyncGroupResponse();
        if (version >= 1)
        {
            message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        }

        message.ErrorCode = reader.ReadInt16("ErrorCode");

        message.Assignment = reader.ReadBytes(flexible, "Assignment");

        if (flexible)
        {
            reader.SkipTaggedFields("SyncGroupResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<SyncGroupResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 1)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }

        writer.WriteInt16(ErrorCode);
        writer.WriteBytes(Assignment, flexible, "Assignment");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
