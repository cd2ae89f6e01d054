namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The configuration of one resource in a DescribeConfigs response.</summary>
public sealed class DescribeConfigsResult : IKafkaStruct<DescribeConfigsResult>
{
    /// <summary>The error code, or 0 if the configuration was described.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The error message, or null if there was no error.</summary>
    public string? ErrorMessage { get; set; } = "";

    /// <summary>The resource type.</summary>
    public sbyte ResourceType { get; set; }

    /// <summary>The resource name.</summary>
    public string ResourceName { get; set; } = "";

    /// <summary>The configuration entries.</summary>
    public IReadOnlyList<DescribeConfigsResourceResult> Configs { get; set; } = [];

    /// <inheritdoc/>
    public static DescribeConfigsResult Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= DescribeConfigsResponse.FirstFlexibleVersion;
        var result = new DescribeConfigsResult
        {
            ErrorCode = reader.ReadInt16("ErrorCode"),
            ErrorMessage = reader.ReadNullableString(flexible, "ErrorMessage"),
            ResourceType = reader.ReadInt8("ResourceType"),
            ResourceName = reader.ReadString(flexible, "ResourceName"),
            Configs = reader.ReadArray<DescribeConfigsResourceResult>(flexible, version, "Configs"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("DescribeConfigsResult");
        }

        return result;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= DescribeConfigsResponse.FirstFlexibleVersion;
        writer.WriteInt16(ErrorCode);
        writer.WriteNullableString(ErrorMessage, flexible, "ErrorMessage");
        writer.WriteInt8(ResourceType);
        writer.WriteString(ResourceName, flexible, "ResourceName");
        writer.WriteArray(Configs, flexible, version, "Configs");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
