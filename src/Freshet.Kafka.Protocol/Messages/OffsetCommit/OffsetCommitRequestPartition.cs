namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One partition's committed position in an OffsetCommit request.</summary>
public sealed class OffsetCommitRequestPartition : IKafkaStruct<OffsetCommitRequestPartition>
{
    /// <summary>The partition index.</summary>
    public int PartitionIndex { get; set; }

    /// <summary>The offset to commit: the next record the group will consume.</summary>
    public long CommittedOffset { get; set; }

    /// <summary>The leader epoch of the last consumed record, or -1 when unknown (v6+).</summary>
    public int CommittedLeaderEpoch { get; set; } = -1;

    /// <summary>Free-form metadata the client keeps with the offset, or null.</summary>
    public string? CommittedMetadata { get; set; } = "";

    /// <inheritdoc/>
    public static OffsetCommitRequestPartition Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= OffsetCommitRequest.FirstFlexibleVersion;
        var partition = new OffsetCommitRequestPartition
        {
            PartitionIndex = reader.ReadInt32("PartitionIndex"),
            CommittedOffset = reader.ReadInt64("CommittedOffset"),
        };
        if (version >= 6)
        {
            partition.CommittedLeaderEpoch = reader.ReadInt32("CommittedLeaderEpoch");
        }

        partition.CommittedMetadata = reader.ReadNullableString(flexible, "CommittedMetadata");

        if (flexible)
        {
            reader.SkipTaggedFields("OffsetCommitRequestPartition");
        }

        return partition;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= OffsetCommitRequest.FirstFlexibleVersion;
        writer.WriteInt32(PartitionIndex);
        writer.WriteInt64(CommittedOffset);
        if (version >= 6)
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
