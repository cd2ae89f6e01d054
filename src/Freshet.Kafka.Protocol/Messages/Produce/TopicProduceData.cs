namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The record batches for one topic in a <see cref="ProduceRequest"/>.</summary>
public sealed class TopicProduceData : IKafkaStruct<TopicProduceData>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The data per partition.</summary>
    public IReadOnlyList<PartitionProduceData> PartitionData { get; set; } = [];

    /// <inheritdoc/>
    public static TopicProduceData Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= ProduceRequest.FirstFlexibleVersion;
        var topic = new TopicProduceData
        {
            Name = reader.ReadString(flexible, "Name"),
            PartitionData = reader.ReadArray<PartitionProduceData>(flexible, version, "PartitionData"),
        };
        if (flexible)
        {
            reader.SkipTaggedFields("TopicProduceData");
        }

        return topic;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= ProduceRequest.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteArray(PartitionData, flexible, version, "PartitionData");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
