namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One topic to read in a <see cref="FetchRequest"/> (by name: topic ids arrive in v13, beyond the supported range).</summary>
public sealed class FetchTopic : IKafkaStruct<FetchTopic>
{
    /// <summary>The topic name.</summary>
    public string Topic { get; set; } = "";

    /// <summary>The partitions to read.</summary>
    public IReadOnlyList<FetchPartition> Partitions { get; set; } = [];

    /// <inheritdoc/>
    public static FetchTopic Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= FetchRequest.FirstFlexibleVersion;
        var topic = new FetchTopic
        {
            Topic = reader.ReadString(flexible, "Topic"),
            Partitions = reader.ReadArray<FetchPartition>(flexible, version, "Partitions"),
        };
        if (flexible)
        {
            reader.SkipTaggedFields("FetchTopic");
        }

        return topic;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= FetchRequest.FirstFlexibleVersion;
        writer.WriteString(Topic, flexible, "Topic");
        writer.WriteArray(Partitions, flexible, version, "Partitions");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
