namespace Freshet.Kafka.Protocol.Messages;

/// <summary>An aborted transaction overlapping the returned records (<see cref="FetchResponsePartition"/>, read_committed).</summary>
public sealed class AbortedTransaction : IKafkaStruct<AbortedTransaction>
{
    /// <summary>The producer id of the aborted transaction.</summary>
    public long ProducerId { get; set; }

    /// <summary>The first offset of the aborted transaction.</summary>
    public long FirstOffset { get; set; }

    /// <inheritdoc/>
    public static AbortedTransaction Read(ref KafkaReader reader, short version)
    {
        var value = new AbortedTransaction
        {
            ProducerId = reader.ReadInt64("ProducerId"),
            FirstOffset = reader.ReadInt64("FirstOffset"),
        };
        if (version >= FetchRequest.FirstFlexibleVersion)
        {
            reader.SkipTaggedFields("AbortedTransaction");
        }

        return value;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        writer.WriteInt64(ProducerId);
        writer.WriteInt64(FirstOffset);
        if (version >= FetchRequest.FirstFlexibleVersion)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
