namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The manual replica placement of one partition in a CreateTopics request.</summary>
public sealed class CreatableReplicaAssignment : IKafkaStruct<CreatableReplicaAssignment>
{
    /// <summary>The partition index.</summary>
    public int PartitionIndex { get; set; }

    /// <summary>The brokers to place the partition's replicas on.</summary>
    public IReadOnlyList<int> BrokerIds { get; set; } = [];

    /// <inheritdoc/>
    public static CreatableReplicaAssignment Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= CreateTopicsRequest.FirstFlexibleVersion;
        var assignment = new CreatableReplicaAssignment
        {
            PartitionIndex = reader.ReadInt32("PartitionIndex"),
            BrokerIds = reader.ReadInt32Array(flexible, "BrokerIds"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("CreatableReplicaAssignment");
        }

        return assignment;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= CreateTopicsRequest.FirstFlexibleVersion;
        writer.WriteInt32(PartitionIndex);
        writer.WriteInt32Array(BrokerIds, flexible, "BrokerIds");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
