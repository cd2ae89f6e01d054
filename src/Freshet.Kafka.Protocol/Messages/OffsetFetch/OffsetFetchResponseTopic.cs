namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One topic's committed offsets in an OffsetFetch response.</summary>
public sealed class OffsetFetchResponseTopic : IKafkaStruct<OffsetFetchResponseTopic>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The committed offset of each partition.</summary>
    public IReadOnlyList<OffsetFetchResponsePartition> Partitions { get; set; } = [];

    /// <inheritdoc/>
    public static OffsetFetchResponseTopic Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= OffsetFetchResponse.FirstFlexibleVersion;
        var topic = new OffsetFetchResponseTopic
        {
            Name = reader.ReadString(flexible, "Name"),
            Partitions = reader.ReadArray<OffsetFetchResponsePartition>(flexible, version, "Partitions"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("OffsetFetchResponseTopic");
        }

        return topic;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= OffsetFetchResponse.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteArray(Partitions, flexible, version, "Partitions");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
