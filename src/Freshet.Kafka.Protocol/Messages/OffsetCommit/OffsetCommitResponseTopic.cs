namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One topic's results in an OffsetCommit response.</summary>
public sealed class OffsetCommitResponseTopic : IKafkaStruct<OffsetCommitResponseTopic>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The result for each partition.</summary>
    public IReadOnlyList<OffsetCommitResponsePartition> Partitions { get; set; } = [];

    /// <inheritdoc/>
    public static OffsetCommitResponseTopic Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= OffsetCommitResponse.FirstFlexibleVersion;
        var topic = new OffsetCommitResponseTopic
        {
            Name = reader.ReadString(flexible, "Name"),
            Partitions = reader.ReadArray<OffsetCommitResponsePartition>(flexible, version, "Partitions"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("OffsetCommitResponseTopic");
        }

        return topic;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= OffsetCommitResponse.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteArray(Partitions, flexible, version, "Partitions");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
