namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One configuration entry for a topic in a CreateTopics request.</summary>
public sealed class CreatableTopicConfig : IKafkaStruct<CreatableTopicConfig>
{
    /// <summary>The configuration name, for example "cleanup.policy".</summary>
    public string Name { get; set; } = "";

    /// <summary>The configuration value, or null.</summary>
    public string? Value { get; set; } = "";

    /// <inheritdoc/>
    public static CreatableTopicConfig Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= CreateTopicsRequest.FirstFlexibleVersion;
        var config = new CreatableTopicConfig
        {
            Name = reader.ReadString(flexible, "Name"),
            Value = reader.ReadNullableString(flexible, "Value"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("CreatableTopicConfig");
        }

        return config;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= CreateTopicsRequest.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteNullableString(Value, flexible, "Value");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
