namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The record batches for one partition in a <see cref="ProduceRequest"/>.</summary>
public sealed class PartitionProduceData : IKafkaStruct<PartitionProduceData>
{
    /// <summary>The partition index.</summary>
    public int Index { get; set; }

    /// <summary>
    /// The RecordBatch bytes as sent, or null. When decoded, a slice of the request buffer: valid only
    /// while that buffer is, never copied.
    /// </summary>
    public ReadOnlyMemory<byte>? Records { get; set; }

    /// <inheritdoc/>
    public static PartitionProduceData Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= ProduceRequest.FirstFlexibleVersion;
        var partition = new PartitionProduceData
        {
            Index = reader.ReadInt32("Index"),
            Records = reader.ReadRecords(flexible, "Records"),
        };
        if (flexible)
        {
            reader.SkipTaggedFields("PartitionProduceData");
        }

        return partition;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= ProduceRequest.FirstFlexibleVersion;
        writer.WriteInt32(Index);
        writer.WriteRecords(Records, flexible);
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
