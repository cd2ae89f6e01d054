namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// LeaveGroup response (key 13), versions 0-3; flexible from v4, beyond this codec's range.
/// v1 adds the throttle time; v3 adds one result per member named in the request.
/// </summary>
public sealed class LeaveGroupResponse : IKafkaMessage<LeaveGroupResponse>
{
    internal const short FirstFlexibleVersion = 4;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.LeaveGroup;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 3;

    /// <summary>Milliseconds the response was throttled for a quota violation, 0 if it was not (v1+).</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The top-level error code, or 0 if there was no error.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The result for each member in the request (v3+).</summary>
    public IReadOnlyList<LeaveGroupResponseMember> Members { get; set; } = [];

    /// <inheritdoc/>
    public static LeaveGroupResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<LeaveGroupResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new LeaveGroupResponse();
        if (version >= 1)
        {
            message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        }

        message.ErrorCode = reader.ReadInt16("ErrorCode");

        if (version >= 3)
        {
            message.Members = reader.ReadArray<LeaveGroupResponseMember>(flexible, version, "Members");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("LeaveGroupResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<LeaveGroupResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 1)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }

        writer.WriteInt16(ErrorCode);
        if (version >= 3)
        {
            writer.WriteArray(Members, flexible, version, "Members");
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
