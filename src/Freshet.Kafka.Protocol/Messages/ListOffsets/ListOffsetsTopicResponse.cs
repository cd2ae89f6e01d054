namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The results for one topic in a <see cref="ListOffsetsResponse"/>.</summary>
public sealed class ListOffsetsTopicResponse : IKafkaStruct<ListOffsetsTopicResponse>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The result per partition.</summary>
    public IReadOnlyList<ListOffsetsPartitionResponse> Partitions { get; set; } = [];

    /// <inheritdoc/>
    public static ListOffsetsTopicResponse Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= ListOffsetsRequest.FirstFlexibleVersion;
        var topic = new ListOffsetsTopicResponse
        {
            Name = reader.ReadString(flexible, "Name"),
            Partitions = reader.ReadArray<ListOffsetsPartitionResponse>(flexible, version, "Partitions"),
        };
        if (flexible)
        {
            reader.SkipTaggedFields("ListOffsetsTopicResponse");
        }

        return topic;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= ListOffsetsRequest.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteArray(Partitions, flexible, version, "Partitions");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
