namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The results for one topic in a <see cref="ProduceResponse"/>.</summary>
public sealed class TopicProduceResponse : IKafkaStruct<TopicProduceResponse>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The result per partition.</summary>
    public IReadOnlyList<PartitionProduceResponse> PartitionResponses { get; set; } = [];

    /// <inheritdoc/>
    public static TopicProduceResponse Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= ProduceRequest.FirstFlexibleVersion;
        var topic = new TopicProduceResponse
        {
            Name = reader.ReadString(flexible, "Name"),
            PartitionResponses = reader.ReadArray<PartitionProduceResponse>(flexible, version, "PartitionResponses"),
        };
        if (flexible)
        {
            reader.SkipTaggedFields("TopicProduceResponse");
        }

        return topic;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= ProduceRequest.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteArray(PartitionResponses, flexible, version, "PartitionResponses");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
