namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// Produce request (key 0), versions 3-9, flexible from 9: record batches per topic partition, with
/// the acks the producer wants (0 none, 1 leader, -1 all in-sync replicas). The records are slices
/// of the decoded input, never copied (see <see cref="KafkaReader.ReadRecords"/>).
/// </summary>
public sealed class ProduceRequest : IKafkaMessage<ProduceRequest>
{
    internal const short FirstFlexibleVersion = 9;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.Produce;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 3;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 9;

    /// <summary>The transactional id, or null for a producer outside transactions.</summary>
    public string? TransactionalId { get; set; }

    /// <summary>Acknowledgements required: 0 (no response at all), 1 (leader) or -1 (all in-sync replicas).</summary>
    public short Acks { get; set; }

    /// <summary>Milliseconds to wait for the acknowledgements.</summary>
    public int TimeoutMs { get; set; }

    /// <summary>The data to append, per topic.</summary>
    public IReadOnlyList<TopicProduceData> TopicData { get; set; } = [];

    /// <inheritdoc/>
    public static ProduceRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<ProduceRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new ProduceRequest
        {
            TransactionalId = reader.ReadNullableString(flexible, "TransactionalId"),
            Acks = reader.ReadInt16("Acks"),
            TimeoutMs = reader.ReadInt32("TimeoutMs"),
            TopicData = reader.ReadArray<TopicProduceData>(flexible, version, "TopicData"),
        };
        if (flexible)
        {
            reader.SkipTaggedFields("ProduceRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<ProduceRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteNullableString(TransactionalId, flexible, "TransactionalId");
        writer.WriteInt16(Acks);
        writer.WriteInt32(TimeoutMs);
        writer.WriteArray(TopicData, flexible, version, "TopicData");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
