namespace Freshet.Kafka.Protocol.Messages;

/// <summary>A cluster-wide finalized feature level (<see cref="ApiVersionsResponse"/> v3+, tagged). Note the wire order: max before min.</summary>
public sealed class FinalizedFeatureKey : IKafkaStruct<FinalizedFeatureKey>
{
    /// <summary>The feature's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The finalized highest version level.</summary>
    public short MaxVersionLevel { get; set; }

    /// <summary>The finalized lowest version level.</summary>
    public short MinVersionLevel { get; set; }

    /// <inheritdoc/>
    public static FinalizedFeatureKey Read(ref KafkaReader reader, short version)
    {
        var key = new FinalizedFeatureKey
        {
            Name = reader.ReadString(compact: true, "Name"),
            MaxVersionLevel = reader.ReadInt16("MaxVersionLevel"),
            MinVersionLevel = reader.ReadInt16("MinVersionLevel"),
        };
        reader.SkipTaggedFields("FinalizedFeatureKey");
        return key;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        writer.WriteString(Name, compact: true, "Name");
        writer.WriteInt16(MaxVersionLevel);
        writer.WriteInt16(MinVersionLevel);
        writer.WriteEmptyTaggedFields();
    }
}
