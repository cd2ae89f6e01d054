namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// Fetch request (key 1), versions 4-12, flexible from 12: read from offsets in topic partitions,
/// waiting up to <see cref="MaxWaitMs"/> for <see cref="MinBytes"/>. v5 adds the log start offset,
/// v7 incremental fetch sessions and forgotten topics, v9 the current leader epoch, v11 the rack id,
/// v12 the last fetched epoch and the tagged cluster id. Fields of versions above 12 are not modelled.
/// </summary>
public sealed class FetchRequest : IKafkaMessage<FetchRequest>
{
    internal const short FirstFlexibleVersion = 12;

    private const uint ClusterIdTag = 0;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.Fetch;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 4;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 12;

    /// <summary>The cluster id if the sender knows it, else null (v12+, tag 0).</summary>
    public string? ClusterId { get; set; }

    /// <summary>The follower's broker id, -1 for a consumer.</summary>
    public int ReplicaId { get; set; } = -1;

    /// <summary>Milliseconds to wait for <see cref="MinBytes"/> before answering.</summary>
    public int MaxWaitMs { get; set; }

    /// <summary>Bytes to accumulate before answering early.</summary>
    public int MinBytes { get; set; }

    /// <summary>Most bytes to return in total (a first batch larger than this is still returned).</summary>
    public int MaxBytes { get; set; } = int.MaxValue;

    /// <summary>0 read_uncommitted, 1 read_committed.</summary>
    public sbyte IsolationLevel { get; set; }

    /// <summary>The fetch session id, 0 for none (v7+).</summary>
    public int SessionId { get; set; }

    /// <summary>The fetch session epoch, -1 for a full fetch without a session (v7+).</summary>
    public int SessionEpoch { get; set; } = -1;

    /// <summary>The topic partitions to fetch.</summary>
    public IReadOnlyList<FetchTopic> Topics { get; set; } = [];

    /// <summary>Partitions to remove from an incremental fetch session (v7+).</summary>
    public IReadOnlyList<ForgottenTopic> ForgottenTopicsData { get; set; } = [];

    /// <summary>The consumer's rack (v11+), "" when unset.</summary>
    public string RackId { get; set; } = "";

    /// <inheritdoc/>
    public static FetchRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<FetchRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new FetchRequest
        {
            ReplicaId = reader.ReadInt32("ReplicaId"),
            MaxWaitMs = reader.ReadInt32("MaxWaitMs"),
            MinBytes = reader.ReadInt32("MinBytes"),
            MaxBytes = reader.ReadInt32("MaxBytes"),
            IsolationLevel = reader.ReadInt8("IsolationLevel"),
        };
        if (version >= 7)
        {
            message.SessionId = reader.ReadInt32("SessionId");
            message.SessionEpoch = reader.ReadInt32("SessionEpoch");
        }

        message.Topics = reader.ReadArray<FetchTopic>(flexible, version, "Topics");
        if (version >= 7)
        {
            message.ForgottenTopicsData = reader.ReadArray<ForgottenTopic>(flexible, version, "ForgottenTopicsData");
        }

        if (version >= 11)
        {
            message.RackId = reader.ReadString(flexible, "RackId");
        }

        if (flexible)
        {
            int count = reader.ReadTaggedFieldCount("FetchRequest");
            for (int i = 0; i < count; i++)
            {
                var field = reader.ReadTaggedField(out uint tag, "FetchRequest");
                if (tag == ClusterIdTag)
                {
                    message.ClusterId = field.ReadNullableString(compact: true, "ClusterId");
                }
            }
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<FetchRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt32(ReplicaId);
        writer.WriteInt32(MaxWaitMs);
        writer.WriteInt32(MinBytes);
        writer.WriteInt32(MaxBytes);
        writer.WriteInt8(IsolationLevel);
        if (version >= 7)
        {
            writer.WriteInt32(SessionId);
            writer.WriteInt32(SessionEpoch);
        }

        writer.WriteArray(Topics, flexible, version, "Topics");
        if (version >= 7)
        {
            writer.WriteArray(ForgottenTopicsData, flexible, version, "ForgottenTopicsData");
        }

        if (version >= 11)
        {
            writer.WriteString(RackId, flexible, "RackId");
        }

        if (flexible)
        {
            writer.WriteTaggedFieldCount(ClusterId is null ? 0 : 1);
            if (ClusterId is not null)
            {
                writer.WriteTaggedNullableString(ClusterIdTag, ClusterId, "ClusterId");
            }
        }
    }
}
