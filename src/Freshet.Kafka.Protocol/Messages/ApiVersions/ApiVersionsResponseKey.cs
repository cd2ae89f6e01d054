namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One supported API in an <see cref="ApiVersionsResponse"/> (Kafka's <c>ApiVersion</c> struct): key and inclusive version range.</summary>
public sealed class ApiVersionsResponseKey : IKafkaStruct<ApiVersionsResponseKey>
{
    /// <summary>The API key.</summary>
    public short ApiKey { get; set; }

    /// <summary>The lowest supported version, inclusive.</summary>
    public short MinVersion { get; set; }

    /// <summary>The highest supported version, inclusive.</summary>
    public short MaxVersion { get; set; }

    /// <inheritdoc/>
    public static ApiVersionsResponseKey Read(ref KafkaReader reader, short version)
    {
        var key = new ApiVersionsResponseKey
        {
            ApiKey = reader.ReadInt16("ApiKey"),
            MinVersion = reader.ReadInt16("MinVersion"),
            MaxVersion = reader.ReadInt16("MaxVersion"),
        };
        if (version >= ApiVersionsResponse.FirstFlexibleVersion)
        {
            reader.SkipTaggedFields("ApiVersion");
        }

        return key;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        writer.WriteInt16(ApiKey);
        writer.WriteInt16(MinVersion);
        writer.WriteInt16(MaxVersion);
        if (version >= ApiVersionsResponse.FirstFlexibleVersion)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
