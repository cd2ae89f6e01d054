namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One topic in an OffsetCommit request.</summary>
public sealed class OffsetCommitRequestTopic : IKafkaStruct<OffsetCommitRequestTopic>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The partitions to commit offsets for.</summary>
    public IReadOnlyList<OffsetCommitRequestPartition> Partitions { get; set; } = [];

    /// <inheritdoc/>
    public static OffsetCommitRequestTopic Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= OffsetCommitRequest.FirstFlexibleVersion;
        var topic = new OffsetCommitRequestTopic
        {
            Name = reader.ReadString(flexible, "Name"),
            Partitions = reader.ReadArray<OffsetCommitRequestPartition>(flexible, version, "Partitions"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("OffsetCommitRequestTopic");
        }

        return topic;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= OffsetCommitRequest.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteArray(Partitions, flexible, version, "Partitions");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
