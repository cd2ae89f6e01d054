namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One record that made a produced batch fail (<see cref="PartitionProduceResponse"/> v8+).</summary>
public sealed class BatchIndexAndErrorMessage : IKafkaStruct<BatchIndexAndErrorMessage>
{
    /// <summary>The index of the record within its batch.</summary>
    public int BatchIndex { get; set; }

    /// <summary>Why the record was refused, or null.</summary>
    public string? BatchIndexErrorMessage { get; set; }

    /// <inheritdoc/>
    public static BatchIndexAndErrorMessage Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= ProduceRequest.FirstFlexibleVersion;
        var error = new BatchIndexAndErrorMessage
        {
            BatchIndex = reader.ReadInt32("BatchIndex"),
            BatchIndexErrorMessage = reader.ReadNullableString(flexible, "BatchIndexErrorMessage"),
        };
        if (flexible)
        {
            reader.SkipTaggedFields("BatchIndexAndErrorMessage");
        }

        return error;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= ProduceRequest.FirstFlexibleVersion;
        writer.WriteInt32(BatchIndex);
        writer.WriteNullableString(BatchIndexErrorMessage, flexible, "BatchIndexErrorMessage");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
