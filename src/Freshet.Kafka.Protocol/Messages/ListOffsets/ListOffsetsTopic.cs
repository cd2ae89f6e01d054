namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The partitions of one topic to look up in a <see cref="ListOffsetsRequest"/>.</summary>
public sealed class ListOffsetsTopic : IKafkaStruct<ListOffsetsTopic>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The partitions to look up.</summary>
    public IReadOnlyList<ListOffsetsPartition> Partitions { get; set; } = [];

    /// <inheritdoc/>
    public static ListOffsetsTopic Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= ListOffsetsRequest.FirstFlexibleVersion;
        var topic = new ListOffsetsTopic
        {
            Name = reader.ReadString(flexible, "Name"),
            Partitions = reader.ReadArray<ListOffsetsPartition>(flexible, version, "Partitions"),
        };
        if (flexible)
        {
            reader.SkipTaggedFields("ListOffsetsTopic");
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
