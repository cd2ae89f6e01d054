namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One synonym of a configuration entry in a DescribeConfigs response v1+: where else the value could come from.</summary>
public sealed class DescribeConfigsSynonym : IKafkaStruct<DescribeConfigsSynonym>
{
    /// <summary>The synonym's name (for example the broker-level name of a topic setting).</summary>
    public string Name { get; set; } = "";

    /// <summary>The synonym's value, or null.</summary>
    public string? Value { get; set; } = "";

    /// <summary>Where the synonym's value comes from.</summary>
    public sbyte Source { get; set; }

    /// <inheritdoc/>
    public static DescribeConfigsSynonym Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= DescribeConfigsResponse.FirstFlexibleVersion;
        var synonym = new DescribeConfigsSynonym
        {
            Name = reader.ReadString(flexible, "Name"),
            Value = reader.ReadNullableString(flexible, "Value"),
            Source = reader.ReadInt8("Source"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("DescribeConfigsSynonym");
        }

        return synonym;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= DescribeConfigsResponse.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteNullableString(Value, flexible, "Value");
        writer.WriteInt8(Source);

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
