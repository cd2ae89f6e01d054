namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One topic's partitions in an AddPartitionsToTxn request.</summary>
public sealed class AddPartitionsToTxnTopic : IKafkaStruct<AddPartitionsToTxnTopic>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The partition indexes.</summary>
    public IReadOnlyList<int> Partitions { get; set; } = [];

    /// <inheritdoc/>
    public static AddPartitionsToTxnTopic Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= AddPartitionsToTxnRequest.FirstFlexibleVersion;
        var message = new AddPartitionsToTxnTopic();
        message.Name = reader.ReadString(flexible, "Name");
        message.Partitions = reader.ReadInt32Array(flexible, "Partitions");
        if (flexible)
        {
            reader.SkipTaggedFields("AddPartitionsToTxnTopic");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= AddPartitionsToTxnRequest.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteInt32Array(Partitions, flexible, "Partitions");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
