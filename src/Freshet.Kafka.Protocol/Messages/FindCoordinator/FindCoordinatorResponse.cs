namespace Freshet.Kafka.Protocol.Messages;

/// <summary>FindCoordinator response (key 10), versions 0-2 (none flexible): the coordinator's node id, host and port. v1 adds the throttle time and an error message.</summary>
public sealed class FindCoordinatorResponse : IKafkaMessage<FindCoordinatorResponse>
{
    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.FindCoordinator;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 2;

    /// <summary>Milliseconds the request was throttled for a quota, 0 if not (v1+).</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The error code, 0 if none.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The error message, or null (v1+).</summary>
    public string? ErrorMessage { get; set; }

    /// <summary>The coordinator's node id.</summary>
    public int NodeId { get; set; }

    /// <summary>The coordinator's host name.</summary>
    public string Host { get; set; } = "";

    /// <summary>The coordinator's port.</summary>
    public int Port { get; set; }

    /// <inheritdoc/>
    public static FindCoordinatorResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<FindCoordinatorResponse>(version);
        var message = new FindCoordinatorResponse();
        if (version >= 1)
        {
            message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        }

        message.ErrorCode = reader.ReadInt16("ErrorCode");
        if (version >= 1)
        {
            message.ErrorMessage = reader.ReadNullableString(compact: false, "ErrorMessage");
        }

        message.NodeId = reader.ReadInt32("NodeId");
        message.Host = reader.ReadString(compact: false, "Host");
        message.Port = reader.ReadInt32("Port");
        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<FindCoordinatorResponse>(version);
        if (version >= 1)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }

        writer.WriteInt16(ErrorCode);
        if (version >= 1)
        {
            writer.WriteNullableString(ErrorMessage, compact: false, "ErrorMessage");
        }

        writer.WriteInt32(NodeId);
        writer.WriteString(Host, compact: false, "Host");
        writer.WriteInt32(Port);
    }
}
