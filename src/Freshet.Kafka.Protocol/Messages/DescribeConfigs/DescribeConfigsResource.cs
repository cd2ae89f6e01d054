namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One resource (a topic or a broker) in a DescribeConfigs request.</summary>
public sealed class DescribeConfigsResource : IKafkaStruct<DescribeConfigsResource>
{
    /// <summary>The resource type: 2 for a topic, 4 for a broker, 8 for a broker logger.</summary>
    public sbyte ResourceType { get; set; }

    /// <summary>The resource name: a topic name, or a broker id in decimal.</summary>
    public string ResourceName { get; set; } = "";

    /// <summary>The configuration names to describe, or null for all of them.</summary>
    public IReadOnlyList<string>? ConfigurationKeys { get; set; } = [];

    /// <inheritdoc/>
    public static DescribeConfigsResource Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= DescribeConfigsRequest.FirstFlexibleVersion;
        var resource = new DescribeConfigsResource
        {
            ResourceType = reader.ReadInt8("ResourceType"),
            ResourceName = reader.ReadString(flexible, "ResourceName"),
            ConfigurationKeys = NullableStringArray.Read(ref reader, flexible, "ConfigurationKeys"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("DescribeConfigsResource");
        }

        return resource;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= DescribeConfigsRequest.FirstFlexibleVersion;
        writer.WriteInt8(ResourceType);
        writer.WriteString(ResourceName, flexible, "ResourceName");
        NullableStringArray.Write(writer, ConfigurationKeys, flexible, "ConfigurationKeys");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
