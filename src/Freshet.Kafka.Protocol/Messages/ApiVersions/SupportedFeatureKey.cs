namespace Freshet.Kafka.Protocol.Messages;

/// <summary>A feature the broker supports, with its version range (<see cref="ApiVersionsResponse"/> v3+, tagged).</summary>
public sealed class SupportedFeatureKey : IKafkaStruct<SupportedFeatureKey>
{
    /// <summary>The feature's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The lowest supported version of the feature.</summary>
    public short MinVersion { get; set; }

    /// <summary>The highest supported version of the feature.</summary>
    public short MaxVersion { get; set; }

    /// <inheritdoc/>
    public static SupportedFeatureKey Read(ref KafkaReader reader, short version)
    {
        var key = new SupportedFeatureKey
        {
            Name = reader.ReadString(compact: true, "Name"),
            MinVersion = reader.ReadInt16("MinVersion"),
            MaxVersion = reader.ReadInt16("MaxVersion"),
        };
        reader.SkipTaggedFields("SupportedFeatureKey");
        return key;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        writer.WriteString(Name, compact: true, "Name");
        writer.WriteInt16(MinVersion);
        writer.WriteInt16(MaxVersion);
        writer.WriteEmptyTaggedFields();
    }
}
