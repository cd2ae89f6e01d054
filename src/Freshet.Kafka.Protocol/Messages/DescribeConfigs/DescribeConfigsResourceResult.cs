namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One configuration entry of a resource in a DescribeConfigs response.</summary>
public sealed class DescribeConfigsResourceResult : IKafkaStruct<DescribeConfigsResourceResult>
{
    /// <summary>The configuration name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The configuration value, or null (for example when sensitive).</summary>
    public string? Value { get; set; } = "";

    /// <summary>Whether the entry cannot be altered.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Whether the entry holds its default value (v0).</summary>
    public bool IsDefault { get; set; }

    /// <summary>Where the value comes from (1 dynamic topic, 4 static broker, 5 default, ...), or -1 when unknown (v1+).</summary>
    public sbyte ConfigSource { get; set; } = -1;

    /// <summary>Whether the value is sensitive (and therefore not returned).</summary>
    public bool IsSensitive { get; set; }

    /// <summary>The entry's synonyms in order of precedence (v1+).</summary>
    public IReadOnlyList<DescribeConfigsSynonym> Synonyms { get; set; } = [];

    /// <summary>The data type (1 boolean, 2 string, 3 int, 4 short, 5 long, 6 double, 7 list, 8 class, 9 password), or 0 when unknown (v3+).</summary>
    public sbyte ConfigType { get; set; }

    /// <summary>The entry's documentation, or null (v3+).</summary>
    public string? Documentation { get; set; } = "";

    /// <inheritdoc/>
    public static DescribeConfigsResourceResult Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= DescribeConfigsResponse.FirstFlexibleVersion;
        var entry = new DescribeConfigsResourceResult
        {
            Name = reader.ReadString(flexible, "Name"),
            Value = reader.ReadNullableString(flexible, "Value"),
            ReadOnly = reader.ReadBool("ReadOnly"),
        };
        if (version == 0)
        {
            entry.IsDefault = reader.ReadBool("IsDefault");
        }

        if (version >= 1)
        {
            entry.ConfigSource = reader.ReadInt8("ConfigSource");
        }

        entry.IsSensitive = reader.ReadBool("IsSensitive");

        if (version >= 1)
        {
            entry.Synonyms = reader.ReadArray<DescribeConfigsSynonym>(flexible, version, "Synonyms");
        }

        if (version >= 3)
        {
            entry.ConfigType = reader.ReadInt8("ConfigType");
        }

        if (version >= 3)
        {
            entry.Documentation = reader.ReadNullableString(flexible, "Documentation");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("DescribeConfigsResourceResult");
        }

        return entry;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= DescribeConfigsResponse.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteNullableString(Value, flexible, "Value");
        writer.WriteBool(ReadOnly);
        if (version == 0)
        {
            writer.WriteBool(IsDefault);
        }

        if (version >= 1)
        {
            writer.WriteInt8(ConfigSource);
        }

        writer.WriteBool(IsSensitive);
        if (version >= 1)
        {
            writer.WriteArray(Synonyms, flexible, version, "Synonyms");
        }

        if (version >= 3)
        {
            writer.WriteInt8(ConfigType);
        }

        if (version >= 3)
        {
            writer.WriteNullableString(Documentation, flexible, "Documentation");
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
