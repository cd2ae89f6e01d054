namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One topic in a <see cref="MetadataResponse"/>: its error, name, id (v10+) and partitions.</summary>
public sealed class MetadataResponseTopic : IKafkaStruct<MetadataResponseTopic>
{
    /// <summary>The topic's error code, 0 if none.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The topic name; from v12 null for an unknown topic asked for by id.</summary>
    public string? Name { get; set; } = "";

    /// <summary>The topic id (v10+); <see cref="Guid.Empty"/> for an unknown topic asked for by name.</summary>
    public Guid TopicId { get; set; }

    /// <summary>Whether the topic is internal (v1+).</summary>
    public bool IsInternal { get; set; }

    /// <summary>The topic's partitions.</summary>
    public IReadOnlyList<MetadataResponsePartition> Partitions { get; set; } = [];

    /// <summary>Bit field of the topic operations the client may perform (v8+), or <see cref="MetadataResponse.AuthorizedOperationsOmitted"/>.</summary>
    public int TopicAuthorizedOperations { get; set; } = MetadataResponse.AuthorizedOperationsOmitted;

    /// <inheritdoc/>
    public static MetadataResponseTopic Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= MetadataRequest.FirstFlexibleVersion;
        var topic = new MetadataResponseTopic
        {
            ErrorCode = reader.ReadInt16("ErrorCode"),
            Name = version >= 12 ? reader.ReadNullableString(flexible, "Name") : reader.ReadString(flexible, "Name"),
        };
        if (version >= 10)
        {
            topic.TopicId = reader.ReadUuid("TopicId");
        }

        topic.IsInternal = reader.ReadBool("IsInternal");
        topic.Partitions = reader.ReadArray<MetadataResponsePartition>(flexible, version, "Partitions");
        if (version >= 8)
        {
            topic.TopicAuthorizedOperations = reader.ReadInt32("TopicAuthorizedOperations");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("MetadataResponseTopic");
        }

        return topic;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= MetadataRequest.FirstFlexibleVersion;
        writer.WriteInt16(ErrorCode);
        if (version >= 12)
        {
            writer.WriteNullableString(Name, flexible, "Name");
        }
        else
        {
            writer.WriteString(Name, flexible, "Name");
        }

        if (version >= 10)
        {
            writer.WriteUuid(TopicId);
        }

        writer.WriteBool(IsInternal);
        writer.WriteArray(Partitions, flexible, version, "Partitions");
        if (version >= 8)
        {
            writer.WriteInt32(TopicAuthorizedOperations);
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
