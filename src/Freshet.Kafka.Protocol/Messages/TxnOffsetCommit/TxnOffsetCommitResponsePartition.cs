namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One partition's result in a TxnOffsetCommit response.</summary>
public sealed class TxnOffsetCommitResponsePartition : IKafkaStruct<TxnOffsetCommitResponsePartition>
{
    /// <summary>The partition index.</summary>
    public int PartitionIndex { get; set; }

    /// <summary>The error code, 0 if none.</summary>
    public short ErrorCode { get; set; }

    /// <inheritdoc/>
    public static TxnOffsetCommitResponsePartition Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= TxnOffsetCommitRequest.FirstFlexibleVersion;
        var message = new TxnOffsetCommitResponsePartition();
        message.PartitionIndex = reader.ReadInt32("PartitionIndex");
        message.ErrorCode = reader.ReadInt16("ErrorCode");
        if (flexible)
        {
            reader.SkipTaggedFields("TxnOffsetCommitResponsePartition");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= TxnOffsetCommitRequest.FirstFlexibleVersion;
        writer.WriteInt32(PartitionIndex);
        writer.WriteInt16(ErrorCode);
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
