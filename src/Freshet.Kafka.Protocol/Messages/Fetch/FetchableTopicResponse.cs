namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The results for one topic in a <see cref="FetchResponse"/>.</summary>
public sealed class FetchableTopicResponse : IKafkaStruct<FetchableTopicResponse>
{
    /// <summary>The topic name.</summary>
    public string Topic { get; set; } = "";

    /// <summary>The result per partition.</summary>
    public IReadOnlyList<FetchResponsePartition> Partitions { get; set; } = [];

    /// <inheritdoc/>
    public static FetchableTopicResponse Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= FetchRequest.FirstFlexibleVersion;
        var topic = new FetchableTopicResponse
        {
            Topic = reader.ReadString(flexible, "Topic"),
            Partitions = reader.ReadArray<FetchResponsePartition>(flexible, version, "Partitions"),
        };
        if (flexible)
        {
            reader.SkipTaggedFields("FetchableTopicResponse");
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
