namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The result for one partition in a <see cref="TopicProduceResponse"/>.</summary>
public sealed class PartitionProduceResponse : IKafkaStruct<PartitionProduceResponse>
{
    /// <summary>The partition index.</summary>
    public int Index { get; set; }

    /// <summary>The error code, 0 if none.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The offset assigned to the first record appended.</summary>
    public long BaseOffset { get; set; }

    /// <summary>The broker's append time for LogAppendTime topics, -1 for CreateTime topics.</summary>
    public long LogAppendTimeMs { get; set; } = -1;

    /// <summary>The partition's log start offset (v5+), -1 when unknown.</summary>
    public long LogStartOffset { get; set; } = -1;

    /// <summary>The records that made the batch fail (v8+).</summary>
    public IReadOnlyList<BatchIndexAndErrorMessage> RecordErrors { get; set; } = [];

    /// <summary>A message summarizing the failure, or null (v8+).</summary>
    public string? ErrorMessage { get; set; }

    /// <inheritdoc/>
    public static PartitionProduceResponse Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= ProduceRequest.FirstFlexibleVersion;
        var partition = new PartitionProduceResponse
        {
            Index = reader.ReadInt32("Index"),
            ErrorCode = reader.ReadInt16("ErrorCode"),
            BaseOffset = reader.ReadInt64("BaseOffset"),
            LogAppendTimeMs = reader.ReadInt64("LogAppendTimeMs"),
        };
        if (version >= 5)
        {
            partition.LogStartOffset = reader.ReadInt64("LogStartOffset");
        }

        if (version >= 8)
        {
            partition.RecordErrors = reader.ReadArray<BatchIndexAndErrorMessage>(flexible, version, "RecordErrors");
            partition.ErrorMessage = reader.ReadNullableString(flexible, "ErrorMessage");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("PartitionProduceResponse");
        }

        return partition;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= ProduceRequest.FirstFlexibleVersion;
        writer.WriteInt32(Index);
        writer.WriteInt16(ErrorCode);
        writer.WriteInt64(BaseOffset);
        writer.WriteInt64(LogAppendTimeMs);
        if (version >= 5)
        {
            writer.WriteInt64(LogStartOffset);
        }

        if (version >= 8)
        {
            writer.WriteArray(RecordErrors, flexible, version, "RecordErrors");
            writer.WriteNullableString(ErrorMessage, flexible, "ErrorMessage");
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
