namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One partition's result in an AddPartitionsToTxn response.</summary>
public sealed class AddPartitionsToTxnPartitionResult : IKafkaStruct<AddPartitionsToTxnPartitionResult>
{
    /// <summary>The partition index.</summary>
    public int PartitionIndex { get; set; }

    /// <summary>The error code, 0 if none.</summary>
    public short PartitionErrorCode { get; set; }

    /// <inheritdoc/>
    public static AddPartitionsToTxnPartitionResult Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= AddPartitionsToTxnRequest.FirstFlexibleVersion;
        var message = new AddPartitionsToTxnPartitionResult();
        message.PartitionIndex = reader.ReadInt32("PartitionIndex");
        message.PartitionErrorCode = reader.ReadInt16("PartitionErrorCode");
        if (flexible)
        {
            reader.SkipTaggedFields("AddPartitionsToTxnPartitionResult");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= AddPartitionsToTxnRequest.FirstFlexibleVersion;
        writer.WriteInt32(PartitionIndex);
        writer.WriteInt16(PartitionErrorCode);
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
