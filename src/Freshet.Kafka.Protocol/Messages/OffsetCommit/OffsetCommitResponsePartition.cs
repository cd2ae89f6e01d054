namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One partition's result in an OffsetCommit response.</summary>
public sealed class OffsetCommitResponsePartition : IKafkaStruct<OffsetCommitResponsePartition>
{
    /// <summary>The partition index.</summary>
    public int PartitionIndex { get; set; }

    /// <summary>The error code, or 0 if there was no error.</summary>
    public short ErrorCode { get; set; }

    /// <inheritdoc/>
    public static OffsetCommitResponsePartition Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= OffsetCommitResponse.FirstFlexibleVersion;
        var partition = new OffsetCommitResponsePartition
        {
            PartitionIndex = reader.ReadInt32("PartitionIndex"),
            ErrorCode = reader.ReadInt16("ErrorCode"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("OffsetCommitResponsePartition");
        }

        return partition;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= OffsetCommitResponse.FirstFlexibleVersion;
        writer.WriteInt32(PartitionIndex);
        writer.WriteInt16(ErrorCode);

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
