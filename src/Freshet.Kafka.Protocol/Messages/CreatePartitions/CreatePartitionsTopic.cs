namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One topic to grow in a CreatePartitions request.</summary>
public sealed class CreatePartitionsTopic : IKafkaStruct<CreatePartitionsTopic>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The new total partition count.</summary>
    public int Count { get; set; }

    /// <summary>The replica placement of each new partition, or null for automatic placement.</summary>
    public IReadOnlyList<CreatePartitionsAssignment>? Assignments { get; set; } = [];

    /// <inheritdoc/>
    public static CreatePartitionsTopic Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= CreatePartitionsRequest.FirstFlexibleVersion;
        var topic = new CreatePartitionsTopic
        {
            Name = reader.ReadString(flexible, "Name"),
            Count = reader.ReadInt32("Count"),
            Assignments = reader.ReadNullableArray<CreatePartitionsAssignment>(flexible, version, "Assignments"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("CreatePartitionsTopic");
        }

        return topic;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= CreatePartitionsRequest.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteInt32(Count);
        writer.WriteNullableArray(Assignments, flexible, version, "Assignments");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
