namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One topic asked for in a <see cref="MetadataRequest"/>: by name, or from v10 by id (the name may then be null).</summary>
public sealed class MetadataRequestTopic : IKafkaStruct<MetadataRequestTopic>
{
    /// <summary>The topic id (v10+); <see cref="Guid.Empty"/> when asking by name.</summary>
    public Guid TopicId { get; set; }

    /// <summary>The topic name; nullable from v10.</summary>
    public string? Name { get; set; } = "";

    /// <inheritdoc/>
    public static MetadataRequestTopic Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= MetadataRequest.FirstFlexibleVersion;
        var topic = new MetadataRequestTopic();
        if (version >= 10)
        {
            topic.TopicId = reader.ReadUuid("TopicId");
            topic.Name = reader.ReadNullableString(flexible, "Name");
        }
        else
        {
            topic.Name = reader.ReadString(flexible, "Name");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("MetadataRequestTopic");
        }

        return topic;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= MetadataRequest.FirstFlexibleVersion;
        if (version >= 10)
        {
            writer.WriteUuid(TopicId);
            writer.WriteNullableString(Name, flexible, "Name");
        }
        else
        {
            writer.WriteString(Name, flexible, "Name");
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
