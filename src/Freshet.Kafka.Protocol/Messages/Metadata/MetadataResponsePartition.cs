namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One partition in a <see cref="MetadataResponseTopic"/>: leader, leader epoch (v7+) and replica sets.</summary>
public sealed class MetadataResponsePartition : IKafkaStruct<MetadataResponsePartition>
{
    /// <summary>The partition's error code, 0 if none.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The partition index.</summary>
    public int PartitionIndex { get; set; }

    /// <summary>The leader's node id.</summary>
    public int LeaderId { get; set; }

    /// <summary>The leader epoch (v7+), -1 when unknown.</summary>
    public int LeaderEpoch { get; set; } = -1;

    /// <summary>Node ids of every replica.</summary>
    public IReadOnlyList<int> ReplicaNodes { get; set; } = [];

    /// <summary>Node ids of the in-sync replicas.</summary>
    public IReadOnlyList<int> IsrNodes { get; set; } = [];

    /// <summary>Node ids of offline replicas (v5+).</summary>
    public IReadOnlyList<int> OfflineReplicas { get; set; } = [];

    /// <inheritdoc/>
    public static MetadataResponsePartition Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= MetadataRequest.FirstFlexibleVersion;
        var partition = new MetadataResponsePartition
        {
            ErrorCode = reader.ReadInt16("ErrorCode"),
            PartitionIndex = reader.ReadInt32("PartitionIndex"),
            LeaderId = reader.ReadInt32("LeaderId"),
        };
        if (version >= 7)
        {
            partition.LeaderEpoch = reader.ReadInt32("LeaderEpoch");
        }

        partition.ReplicaNodes = reader.ReadInt32Array(flexible, "ReplicaNodes");
        partition.IsrNodes = reader.ReadInt32Array(flexible, "IsrNodes");
        if (version >= 5)
        {
            partition.OfflineReplicas = reader.ReadInt32Array(flexible, "OfflineReplicas");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("MetadataResponsePartition");
        }

        return partition;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= MetadataRequest.FirstFlexibleVersion;
        writer.WriteInt16(ErrorCode);
        writer.WriteInt32(PartitionIndex);
        writer.WriteInt32(LeaderId);
        if (version >= 7)
        {
            writer.WriteInt32(LeaderEpoch);
        }

        writer.WriteInt32Array(ReplicaNodes, flexible, "ReplicaNodes");
        writer.WriteInt32Array(IsrNodes, flexible, "IsrNodes");
        if (version >= 5)
        {
            writer.WriteInt32Array(OfflineReplicas, flexible, "OfflineReplicas");
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
