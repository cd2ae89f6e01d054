namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One topic to create in a CreateTopics request.</summary>
public sealed class CreatableTopic : IKafkaStruct<CreatableTopic>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The number of partitions, or -1 for a manual assignment or the broker's default.</summary>
    public int NumPartitions { get; set; }

    /// <summary>The replication factor, or -1 for a manual assignment or the broker's default.</summary>
    public short ReplicationFactor { get; set; }

    /// <summary>The manual assignment of replicas to brokers, or empty for automatic assignment.</summary>
    public IReadOnlyList<CreatableReplicaAssignment> Assignments { get; set; } = [];

    /// <summary>Topic configuration to set.</summary>
    public IReadOnlyList<CreatableTopicConfig> Configs { get; set; } = [];

    /// <inheritdoc/>
    public static CreatableTopic Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= CreateTopicsRequest.FirstFlexibleVersion;
        var topic = new CreatableTopic
        {
            Name = reader.ReadString(flexible, "Name"),
            NumPartitions = reader.ReadInt32("NumPartitions"),
            ReplicationFactor = reader.ReadInt16("ReplicationFactor"),
            Assignments = reader.ReadArray<CreatableReplicaAssignment>(flexible, version, "Assignments"),
            Configs = reader.ReadArray<CreatableTopicConfig>(flexible, version, "Configs"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("CreatableTopic");
        }

        return topic;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= CreateTopicsRequest.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteInt32(NumPartitions);
        writer.WriteInt16(ReplicationFactor);
        writer.WriteArray(Assignments, flexible, version, "Assignments");
        writer.WriteArray(Configs, flexible, version, "Configs");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
