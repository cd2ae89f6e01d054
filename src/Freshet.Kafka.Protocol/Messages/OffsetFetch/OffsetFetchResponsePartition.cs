namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One partition's committed offset in an OffsetFetch response.</summary>
public sealed class OffsetFetchResponsePartition : IKafkaStruct<OffsetFetchResponsePartition>
{
    /// <summary>The partition index.</summary>
    public int PartitionIndex { get; set; }

    /// <summary>The committed offset, or -1 when the group has committed none.</summary>
    public long CommittedOffset { get; set; }

    /// <summary>The leader epoch stored with the offset, or -1 when unknown (v5+).</summary>
    public int CommittedLeaderEpoch { get; set; } = -1;

    /// <summary>The metadata committed with the offset, or null.</summary>
    public string? Metadata { get; set; } = "";

    /// <summary>The error code, or 0 if there was no error.</summary>
    public short ErrorCode { get; set; }

    /// <inheritdoc/>
    public static OffsetFetchResponsePartition Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= OffsetFetchResponse.FirstFlexibleVersion;
        var partition = new OffsetFetchResponsePartition
        {
            PartitionIndex = reader.ReadInt32("PartitionIndex"),
            CommittedOffset = reader.ReadInt64("CommittedOffset"),
        };
        if (version >= 5)
        {
            partition.CommittedLeaderEpoch = reader.ReadInt32("CommittedLeaderEpoch");
        }

        partition.Metadata = reader.ReadNullableString(flexible, "Metadata");

        partition.ErrorCode = reader.ReadInt16("ErrorCode");

        if (flexible)
        {
            reader.SkipTaggedFields("OffsetFetchResponsePartition");
        }

        return partition;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= OffsetFetchResponse.FirstFlexibleVersion;
        writer.WriteInt32(PartitionIndex);
        writer.WriteInt64(CommittedOffset);
        if (version >= 5)
        {
            writer.WriteInt32(CommittedLeaderEpoch);
        }

        writer.WriteNullableString(Metadata, flexible, "Metadata");
        writer.WriteInt16(ErrorCode);

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
