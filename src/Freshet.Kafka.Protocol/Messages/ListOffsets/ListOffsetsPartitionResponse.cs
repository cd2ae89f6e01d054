namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The result for one partition in a <see cref="ListOffsetsTopicResponse"/>.</summary>
public sealed class ListOffsetsPartitionResponse : IKafkaStruct<ListOffsetsPartitionResponse>
{
    /// <summary>The partition index.</summary>
    public int PartitionIndex { get; set; }

    /// <summary>The error code, 0 if none.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The timestamp of the offset found, -1 when none applies.</summary>
    public long Timestamp { get; set; } = -1;

    /// <summary>The offset found, -1 when none.</summary>
    public long Offset { get; set; } = -1;

    /// <summary>The leader epoch of the offset (v4+), -1 when unknown.</summary>
    public int LeaderEpoch { get; set; } = -1;

    /// <inheritdoc/>
    public static ListOffsetsPartitionResponse Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= ListOffsetsRequest.FirstFlexibleVersion;
        var partition = new ListOffsetsPartitionResponse
        {
            PartitionIndex = reader.ReadInt32("PartitionIndex"),
            ErrorCode = reader.ReadInt16("ErrorCode"),
            Timestamp = reader.ReadInt64("Timestamp"),
            Offset = reader.ReadInt64("Offset"),
        };
        if (version >= 4)
        {
            partition.LeaderEpoch = reader.ReadInt32("LeaderEpoch");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("ListOffsetsPartitionResponse");
        }

        return partition;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= ListOffsetsRequest.FirstFlexibleVersion;
        writer.WriteInt32(PartitionIndex);
        writer.WriteInt16(ErrorCode);
        writer.WriteInt64(Timestamp);
        writer.WriteInt64(Offset);
        if (version >= 4)
        {
            writer.WriteInt32(LeaderEpoch);
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
