namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One partition's offset in a TxnOffsetCommit request.</summary>
public sealed class TxnOffsetCommitRequestPartition : IKafkaStruct<TxnOffsetCommitRequestPartition>
{
    /// <summary>The partition index.</summary>
    public int PartitionIndex { get; set; }

    /// <summary>The offset to commit: the next record the group will consume.</summary>
    public long CommittedOffset { get; set; }

    /// <summary>The leader epoch of the last consumed record (v2+), -1 if unknown.</summary>
    public int CommittedLeaderEpoch { get; set; } = -1;

    /// <summary>Metadata the client keeps with the offset, or null.</summary>
    public string? CommittedMetadata { get; set; }

    /// <inheritdoc/>
    public static TxnOffsetCommitRequestPartition Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= TxnOffsetCommitRequest.FirstFlexibleVersion;
        var message = new TxnOffsetCommitRequestPartition();
        message.PartitionIndex = reader.ReadInt32("PartitionIndex");
        message.CommittedOffset = reader.ReadInt64("CommittedOffset");
        if (version >= 2)
        {
            message.CommittedLeaderEpoch = reader.ReadInt32("CommittedLeaderEpoch");
        }

        message.CommittedMetadata = reader.ReadNullableString(flexible, "CommittedMetadata");
        if (flexible)
        {
            reader.SkipTaggedFields("TxnOffsetCommitRequestPartition");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= TxnOffsetCommitRequest.FirstFlexibleVersion;
        writer.WriteInt32(PartitionIndex);
        writer.WriteInt64(CommittedOffset);
        if (version >= 2)
        {
            writer.WriteInt32(CommittedLeaderEpoch);
        }

        writer.WriteNullableString(CommittedMetadata, flexible, "CommittedMetadata");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
