namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The current leader of a partition and its epoch (<see cref="FetchResponsePartition"/> v12+, tagged; always flexible).</summary>
public sealed class LeaderIdAndEpoch : IKafkaStruct<LeaderIdAndEpoch>
{
    /// <summary>The leader's node id, -1 when unknown.</summary>
    public int LeaderId { get; set; } = -1;

    /// <summary>The leader epoch, -1 when unknown.</summary>
    public int LeaderEpoch { get; set; } = -1;

    internal bool IsDefault => LeaderId == -1 && LeaderEpoch == -1;

    /// <inheritdoc/>
    public static LeaderIdAndEpoch Read(ref KafkaReader reader, short version)
    {
        var value = new LeaderIdAndEpoch
        {
            LeaderId = reader.ReadInt32("LeaderId"),
            LeaderEpoch = reader.ReadInt32("LeaderEpoch"),
        };
        reader.SkipTaggedFields("LeaderIdAndEpoch");
        return value;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        writer.WriteInt32(LeaderId);
        writer.WriteInt32(LeaderEpoch);
        writer.WriteEmptyTaggedFields();
    }
}
