namespace Freshet.Kafka.Protocol.Messages;

/// <summary>A snapshot's end offset and epoch (<see cref="FetchResponsePartition"/> v12+, tagged; always flexible). Note the wire order: offset before epoch.</summary>
public sealed class SnapshotId : IKafkaStruct<SnapshotId>
{
    /// <summary>The snapshot's end offset, -1 when none.</summary>
    public long EndOffset { get; set; } = -1;

    /// <summary>The snapshot's epoch, -1 when none.</summary>
    public int Epoch { get; set; } = -1;

    internal bool IsDefault => EndOffset == -1 && Epoch == -1;

    /// <inheritdoc/>
    public static SnapshotId Read(ref KafkaReader reader, short version)
    {
        var value = new SnapshotId
        {
            EndOffset = reader.ReadInt64("EndOffset"),
            Epoch = reader.ReadInt32("Epoch"),
        };
        reader.SkipTaggedFields("SnapshotId");
        return value;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        writer.WriteInt64(EndOffset);
        writer.WriteInt32(Epoch);
        writer.WriteEmptyTaggedFields();
    }
}
