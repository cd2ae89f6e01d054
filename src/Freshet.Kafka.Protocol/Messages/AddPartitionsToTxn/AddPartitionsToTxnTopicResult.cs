namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One topic's results in an AddPartitionsToTxn response.</summary>
public sealed class AddPartitionsToTxnTopicResult : IKafkaStruct<AddPartitionsToTxnTopicResult>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The result for each partition.</summary>
    public IReadOnlyList<AddPartitionsToTxnPartitionResult> Results { get; set; } = [];

    /// <inheritdoc/>
    public static AddPartitionsToTxnTopicResult Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= AddPartitionsToTxnRequest.FirstFlexibleVersion;
        var message = new AddPartitionsToTxnTopicResult();
        message.Name = reader.ReadString(flexible, "Name");
        message.Results = reader.ReadArray<AddPartitionsToTxnPartitionResult>(flexible, version, "Results");
        if (flexible)
        {
            reader.SkipTaggedFields("AddPartitionsToTxnTopicResult");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= AddPartitionsToTxnRequest.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteArray(Results, flexible, version, "Results");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
