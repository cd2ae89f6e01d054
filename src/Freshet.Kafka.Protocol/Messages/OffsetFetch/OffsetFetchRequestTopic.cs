namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One topic in an OffsetFetch request.</summary>
public sealed class OffsetFetchRequestTopic : IKafkaStruct<OffsetFetchRequestTopic>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The partitions whose offsets to fetch.</summary>
    public IReadOnlyList<int> PartitionIndexes { get; set; } = [];

    /// <inheritdoc/>
    public static OffsetFetchRequestTopic Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= OffsetFetchRequest.FirstFlexibleVersion;
        var topic = new OffsetFetchRequestTopic
        {
            Name = reader.ReadString(flexible, "Name"),
            PartitionIndexes = reader.ReadInt32Array(flexible, "PartitionIndexes"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("OffsetFetchRequestTopic");
        }

        return topic;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= OffsetFetchRequest.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteInt32Array(PartitionIndexes, flexible, "PartitionIndexes");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
