namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// DescribeConfigs request (key 32), versions 0-4, flexible from v4.
/// v1 adds the request for synonyms; v3 the request for documentation.
/// </summary>
public sealed class DescribeConfigsRequest : IKafkaMessage<DescribeConfigsRequest>
{
    internal const short FirstFlexibleVersion = 4;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.DescribeConfigs;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 4;

    /// <summary>The resources whose configuration to describe.</summary>
    public IReadOnlyList<DescribeConfigsResource> Resources { get; set; } = [];

    /// <summary>Whether to include every synonym of each entry (v1+).</summary>
    public bool IncludeSynonyms { get; set; }

    /// <summary>Whether to include each entry's documentation (v3+).</summary>
    public bool IncludeDocumentation { get; set; }

    /// <inheritdoc/>
    public static DescribeConfigsRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<DescribeConfigsRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new DescribeConfigsRequest
        {
            Resources = reader.ReadArray<DescribeConfigsResource>(flexible, version, "Resources"),
        };
        if (version >= 1)
        {
            message.IncludeSynonyms = reader.ReadBool("IncludeSynonyms");
        }

        if (version >= 3)
        {
            message.IncludeDocumentation = reader.ReadBool("IncludeDocumentation");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("DescribeConfigsRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<DescribeConfigsRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteArray(Resources, flexible, version, "Resources");
        if (version >= 1)
        {
            writer.WriteBool(IncludeSynonyms);
        }

        if (version >= 3)
        {
            writer.WriteBool(IncludeDocumentation);
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
