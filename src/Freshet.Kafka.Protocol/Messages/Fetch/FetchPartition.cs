namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One partition to read in a <see cref="FetchTopic"/>: where to start and how much to return.</summary>
public sealed class FetchPartition : IKafkaStruct<FetchPartition>
{
    /// <summary>The partition index.</summary>
    public int Partition { get; set; }

    /// <summary>The leader epoch the client knows (v9+), -1 when unknown.</summary>
    public int CurrentLeaderEpoch { get; set; } = -1;

    /// <summary>The offset to read from.</summary>
    public long FetchOffset { get; set; }

    /// <summary>The epoch of the last fetched record (v12+), -1 if none.</summary>
    public int LastFetchedEpoch { get; set; } = -1;

    /// <summary>The follower's log start offset (v5+), -1 for consumers.</summary>
    public long LogStartOffset { get; set; } = -1;

    /// <summary>Most bytes to return for this partition (a first batch larger than this is still returned).</summary>
    public int PartitionMaxBytes { get; set; }

    /// <inheritdoc/>
    public static FetchPartition Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= FetchRequest.FirstFlexibleVersion;
        var partition = new FetchPartition { Partition = reader.ReadInt32("Partition") };
        if (version >= 9)
        {
            partition.CurrentLeaderEpoch = reader.ReadInt32("CurrentLeaderEpoch");
        }

        partition.FetchOffset = reader.ReadInt64("FetchOffset");
        if (version >= 12)
        {
            partition.LastFetchedEpoch = reader.ReadInt32("LastFetchedEpoch");
        }

        if (version >= 5)
        {
            partition.LogStartOffset = reader.ReadInt64("LogStartOffset");
        }

        partition.PartitionMaxBytes = reader.ReadInt32("PartitionMaxBytes");
        if (flexible)
        {
            reader.SkipTaggedFields("FetchPartition");
        }

        return partition;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= FetchRequest.FirstFlexibleVersion;
        writer.WriteInt32(Partition);
        if (version >= 9)
        {
            writer.WriteInt32(CurrentLeaderEpoch);
        }

        writer.WriteInt64(FetchOffset);
        if (version >= 12)
        {
            writer.WriteInt32(LastFetchedEpoch);
        }

        if (version >= 5)
        {
            writer.WriteInt64(LogStartOffset);
        }

        writer.WriteInt32(PartitionMaxBytes);
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
