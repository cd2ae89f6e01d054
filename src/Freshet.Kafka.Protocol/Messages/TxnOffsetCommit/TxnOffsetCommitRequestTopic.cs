namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One topic's offsets in a TxnOffsetCommit request.</summary>
public sealed class TxnOffsetCommitRequestTopic : IKafkaStruct<TxnOffsetCommitRequestTopic>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The offsets, by partition.</summary>
    public IReadOnlyList<TxnOffsetCommitRequestPartition> Partitions { get; set; } = [];

    /// <inheritdoc/>
    public static TxnOffsetCommitRequestTopic Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= TxnOffsetCommitRequest.FirstFlexibleVersion;
        var message = new TxnOffsetCommitRequestTopic();
        message.Name = reader.ReadString(flexible, "Name");
        message.Partitions = reader.ReadArray<TxnOffsetCommitRequestPartition>(flexible, version, "Partitions");
        if (flexible)
        {
            reader.SkipTaggedFields("TxnOffsetCommitRequestTopic");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= TxnOffsetCommitRequest.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteArray(Partitions, flexible, version, "Partitions");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
