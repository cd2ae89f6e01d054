namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The replica placement of one new partition in a CreatePartitions request.</summary>
public sealed class CreatePartitionsAssignment : IKafkaStruct<CreatePartitionsAssignment>
{
    /// <summary>The brokers to place the partition's replicas on.</summary>
    public IReadOnlyList<int> BrokerIds { get; set; } = [];

    /// <inheritdoc/>
    public static CreatePartitionsAssignment Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= CreatePartitionsRequest.FirstFlexibleVersion;
        var assignment = new CreatePartitionsAssignment
        {
            BrokerIds = reader.ReadInt32Array(flexible, "BrokerIds"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("CreatePartitionsAssignment");
        }

        return assignment;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= CreatePartitionsRequest.FirstFlexibleVersion;
        writer.WriteInt32Array(BrokerIds, flexible, "BrokerIds");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
