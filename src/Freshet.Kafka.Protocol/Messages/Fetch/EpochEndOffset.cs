namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The largest epoch and its end offset before a follower's log diverges (<see cref="FetchResponsePartition"/> v12+, tagged; always flexible).</summary>
public sealed class EpochEndOffset : IKafkaStruct<EpochEndOffset>
{
    /// <summary>The epoch, -1 when none.</summary>
    public int Epoch { get; set; } = -1;

    /// <summary>The end offset of <see cref="Epoch"/>, -1 when none.</summary>
    public long EndOffset { get; set; } = -1;

    internal bool IsDefault => Epoch == -1 && EndOffset == -1;

    /// <inheritdoc/>
    public static EpochEndOffset Read(ref KafkaReader reader, short version)
    {
        var value = new EpochEndOffset
        {
            Epoch = reader.ReadInt32("Epoch"),
            EndOffset = reader.ReadInt64("EndOffset"),
        };
        reader.SkipTaggedFields("EpochEndOffset");
        return value;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        writer.WriteInt32(Epoch);
        writer.WriteInt64(EndOffset);
        writer.WriteEmptyTaggedFields();
    }
}
