namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// ListOffsets request (key 2), versions 1-7, flexible from 6: per partition, the offset for a
/// timestamp, where -2 means earliest, -1 latest (and, in v7, -3 the largest timestamp). v2 adds the
/// isolation level, v4 the current leader epoch.
/// </summary>
public sealed class ListOffsetsRequest : IKafkaMessage<ListOffsetsRequest>
{
    internal const short FirstFlexibleVersion = 6;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.ListOffsets;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 1;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 7;

    /// <summary>The requesting broker's id, -1 for a client.</summary>
    public int ReplicaId { get; set; } = -1;

    /// <summary>0 read_uncommitted, 1 read_committed (v2+).</summary>
    public sbyte IsolationLevel { get; set; }

    /// <summary>The partitions to look up, per topic.</summary>
    public IReadOnlyList<ListOffsetsTopic> Topics { get; set; } = [];

    /// <inheritdoc/>
    public static ListOffsetsRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<ListOffsetsRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new ListOffsetsRequest { ReplicaId = reader.ReadInt32("ReplicaId") };
        if (version >= 2)
        {
            message.IsolationLevel = reader.ReadInt8("IsolationLevel");
        }

        message.Topics = reader.ReadArray<ListOffsetsTopic>(flexible, version, "Topics");
        if (flexible)
        {
            reader.SkipTaggedFields("ListOffsetsRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<ListOffsetsRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt32(ReplicaId);
        if (version >= 2)
        {
            writer.WriteInt8(IsolationLevel);
        }

        writer.WriteArray(Topics, flexible, version, "Topics");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
