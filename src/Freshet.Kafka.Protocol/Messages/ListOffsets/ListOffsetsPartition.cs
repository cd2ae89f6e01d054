namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One partition to look up in a <see cref="ListOffsetsTopic"/>.</summary>
public sealed class ListOffsetsPartition : IKafkaStruct<ListOffsetsPartition>
{
    /// <summary>Timestamp value asking for the earliest offset.</summary>
    public const long EarliestTimestamp = -2;

    /// <summary>Timestamp value asking for the latest offset (the log end offset, or the last stable offset under read_committed).</summary>
    public const long LatestTimestamp = -1;

    /// <summary>The partition index.</summary>
    public int PartitionIndex { get; set; }

    /// <summary>The leader epoch the client knows (v4+), -1 when unknown.</summary>
    public int CurrentLeaderEpoch { get; set; } = -1;

    /// <summary>The timestamp to look up, in milliseconds since the epoch, or a special value (-1 latest, -2 earliest).</summary>
    public long Timestamp { get; set; }

    /// <inheritdoc/>
    public static ListOffsetsPartition Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= ListOffsetsRequest.FirstFlexibleVersion;
        var partition = new ListOffsetsPartition { PartitionIndex = reader.ReadInt32("PartitionIndex") };
        if (version >= 4)
        {
            partition.CurrentLeaderEpoch = reader.ReadInt32("CurrentLeaderEpoch");
        }

        partition.Timestamp = reader.ReadInt64("Timestamp");
        if (flexible)
        {
            reader.SkipTaggedFields("ListOffsetsPartition");
        }

        return partition;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= ListOffsetsRequest.FirstFlexibleVersion;
        writer.WriteInt32(PartitionIndex);
        if (version >= 4)
        {
            writer.WriteInt32(CurrentLeaderEpoch);
        }

        writer.WriteInt64(Timestamp);
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
