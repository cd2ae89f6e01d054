namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One topic's results in a TxnOffsetCommit response.</summary>
public sealed class TxnOffsetCommitResponseTopic : IKafkaStruct<TxnOffsetCommitResponseTopic>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The result for each partition.</summary>
    public IReadOnlyList<TxnOffsetCommitResponsePartition> Partitions { get; set; } = [];

    /// <inheritdoc/>
    public static TxnOffsetCommitResponseTopic Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= TxnOffsetCommitRequest.FirstFlexibleVersion;
        var message = new TxnOffsetCommitResponseTopic();
        message.Name = reader.ReadString(flexible, "Name");
        message.Partitions = reader.ReadArray<TxnOffsetCommitResponsePartition>(flexible, version, "Partitions");
        if (flexible)
        {
            reader.SkipTaggedFields("TxnOffsetCommitResponseTopic");
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
