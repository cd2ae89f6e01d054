namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// Metadata response (key 3), versions 1-12, flexible from 9: brokers, cluster id (v2+), controller id,
/// and per topic its partitions, leaders and replicas. v3 adds the throttle time, v8 authorized
/// operations (the cluster's only in v8-10), v10 topic ids, v12 nullable topic names.
/// </summary>
public sealed class MetadataResponse : IKafkaMessage<MetadataResponse>
{
    /// <summary>The value of an authorized-operations field that was not requested.</summary>
    public const int AuthorizedOperationsOmitted = int.MinValue;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.Metadata;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 1;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 12;

    /// <summary>Milliseconds the request was throttled for a quota, 0 if not (v3+).</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The brokers of the cluster.</summary>
    public IReadOnlyList<MetadataResponseBroker> Brokers { get; set; } = [];

    /// <summary>The cluster id, or null (v2+).</summary>
    public string? ClusterId { get; set; }

    /// <summary>The controller's node id, -1 when unknown.</summary>
    public int ControllerId { get; set; } = -1;

    /// <summary>The topics described.</summary>
    public IReadOnlyList<MetadataResponseTopic> Topics { get; set; } = [];

    /// <summary>Bit field of the cluster operations the client may perform (v8-10), or <see cref="AuthorizedOperationsOmitted"/>.</summary>
    public int ClusterAuthorizedOperations { get; set; } = AuthorizedOperationsOmitted;

    /// <inheritdoc/>
    public static MetadataResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<MetadataResponse>(version);
        bool flexible = version >= MetadataRequest.FirstFlexibleVersion;
        var message = new MetadataResponse();
        if (version >= 3)
        {
            message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        }

        message.Brokers = reader.ReadArray<MetadataResponseBroker>(flexible, version, "Brokers");
        if (version >= 2)
        {
            message.ClusterId = reader.ReadNullableString(flexible, "ClusterId");
        }

        message.ControllerId = reader.ReadInt32("ControllerId");
        message.Topics = reader.ReadArray<MetadataResponseTopic>(flexible, version, "Topics");
        if (version is >= 8 and <= 10)
        {
            message.ClusterAuthorizedOperations = reader.ReadInt32("ClusterAuthorizedOperations");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("MetadataResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<MetadataResponse>(version);
        bool flexible = version >= MetadataRequest.FirstFlexibleVersion;
        if (version >= 3)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }

        writer.WriteArray(Brokers, flexible, version, "Brokers");
        if (version >= 2)
        {
            writer.WriteNullableString(ClusterId, flexible, "ClusterId");
        }

        writer.WriteInt32(ControllerId);
        writer.WriteArray(Topics, flexible, version, "Topics");
        if (version is >= 8 and <= 10)
        {
            writer.WriteInt32(ClusterAuthorizedOperations);
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
