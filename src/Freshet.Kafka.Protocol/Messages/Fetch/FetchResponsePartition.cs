namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// The result for one partition in a <see cref="FetchableTopicResponse"/> (Kafka's <c>PartitionData</c>).
/// From v12 it carries three tagged fields, written only when they differ from their defaults:
/// <see cref="DivergingEpoch"/> (tag 0), <see cref="CurrentLeader"/> (tag 1), <see cref="SnapshotId"/> (tag 2).
/// </summary>
public sealed class FetchResponsePartition : IKafkaStruct<FetchResponsePartition>
{
    private const uint DivergingEpochTag = 0;
    private const uint CurrentLeaderTag = 1;
    private const uint SnapshotIdTag = 2;

    /// <summary>The partition index.</summary>
    public int PartitionIndex { get; set; }

    /// <summary>The error code, 0 if none.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The partition's high watermark.</summary>
    public long HighWatermark { get; set; }

    /// <summary>The last stable offset, -1 when unknown.</summary>
    public long LastStableOffset { get; set; } = -1;

    /// <summary>The log start offset (v5+), -1 when unknown.</summary>
    public long LogStartOffset { get; set; } = -1;

    /// <summary>Where the follower's log diverges (v12+, tag 0); defaults (-1, -1) mean none.</summary>
    public EpochEndOffset DivergingEpoch { get; set; } = new();

    /// <summary>The current leader, when this broker is not it (v12+, tag 1); defaults (-1, -1) mean unknown.</summary>
    public LeaderIdAndEpoch CurrentLeader { get; set; } = new();

    /// <summary>The snapshot to fetch instead (v12+, tag 2); defaults (-1, -1) mean none.</summary>
    public SnapshotId SnapshotId { get; set; } = new();

    /// <summary>Aborted transactions within the returned records (read_committed), or null.</summary>
    public IReadOnlyList<AbortedTransaction>? AbortedTransactions { get; set; }

    /// <summary>The replica the consumer should fetch from next (v11+), -1 for none.</summary>
    public int PreferredReadReplica { get; set; } = -1;

    /// <summary>
    /// The RecordBatch bytes, or null. Written as they are; when decoded, a slice of the response buffer
    /// that is valid only while that buffer is.
    /// </summary>
    public ReadOnlyMemory<byte>? Records { get; set; }

    /// <inheritdoc/>
    public static FetchResponsePartition Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= FetchRequest.FirstFlexibleVersion;
        var partition = new FetchResponsePartition
        {
            PartitionIndex = reader.ReadInt32("PartitionIndex"),
            ErrorCode = reader.ReadInt16("ErrorCode"),
            HighWatermark = reader.ReadInt64("HighWatermark"),
            LastStableOffset = reader.ReadInt64("LastStableOffset"),
        };
        if (version >= 5)
        {
            partition.LogStartOffset = reader.ReadInt64("LogStartOffset");
        }

        partition.AbortedTransactions = reader.ReadNullableArray<AbortedTransaction>(flexible, version, "AbortedTransactions");
        if (version >= 11)
        {
            partition.PreferredReadReplica = reader.ReadInt32("PreferredReadReplica");
        }

        partition.Records = reader.ReadRecords(flexible, "Records");
        if (flexible)
        {
            int count = reader.ReadTaggedFieldCount("PartitionData");
            for (int i = 0; i < count; i++)
            {
                var field = reader.ReadTaggedField(out uint tag, "PartitionData");
                switch (tag)
                {
                    case DivergingEpochTag:
                        partition.DivergingEpoch = EpochEndOffset.Read(ref field, version);
                        break;
                    case CurrentLeaderTag:
                        partition.CurrentLeader = LeaderIdAndEpoch.Read(ref field, version);
                        break;
                    case SnapshotIdTag:
                        partition.SnapshotId = SnapshotId.Read(ref field, version);
                        break;
                    default:
                        break;
                }
            }
        }

        return partition;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= FetchRequest.FirstFlexibleVersion;
        writer.WriteInt32(PartitionIndex);
        writer.WriteInt16(ErrorCode);
        writer.WriteInt64(HighWatermark);
        writer.WriteInt64(LastStableOffset);
        if (version >= 5)
        {
            writer.WriteInt64(LogStartOffset);
        }

        writer.WriteNullableArray(AbortedTransactions, flexible, version, "AbortedTransactions");
        if (version >= 11)
        {
            writer.WriteInt32(PreferredReadReplica);
        }

        writer.WriteRecords(Records, flexible);
        if (flexible)
        {
            bool hasDiverging = !DivergingEpoch.IsDefault;
            bool hasLeader = !CurrentLeader.IsDefault;
            bool hasSnapshot = !SnapshotId.IsDefault;
            writer.WriteTaggedFieldCount((hasDiverging ? 1 : 0) + (hasLeader ? 1 : 0) + (hasSnapshot ? 1 : 0));
            if (hasDiverging)
            {
                writer.WriteTaggedStruct(DivergingEpochTag, DivergingEpoch, version);
            }

            if (hasLeader)
            {
                writer.WriteTaggedStruct(CurrentLeaderTag, CurrentLeader, version);
            }

            if (hasSnapshot)
            {
                writer.WriteTaggedStruct(SnapshotIdTag, SnapshotId, version);
            }
        }
    }
}
