namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// DescribeConfigs response (key 32), versions 0-4, flexible from v4.
/// v1 replaces the per-entry default flag with a config source and adds synonyms; v3 adds each entry's
/// data type and documentation.
/// </summary>
public sealed class DescribeConfigsResponse : IKafkaMessage<DescribeConfigsResponse>
{
    internal const short FirstFlexibleVersion = 4;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.DescribeConfigs;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 4;

    /// <summary>Milliseconds the response was throttled for a quota violation, 0 if it was not.</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The result for each resource.</summary>
    public IReadOnlyList<DescribeConfigsResult> Results { get; set; } = [];

    /// <inheritdoc/>
    public static DescribeConfigsResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<DescribeConfigsResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new DescribeConfigsResponse
        {
            ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs"),
            Results = reader.ReadArray<DescribeConfigsResult>(flexible, version, "Results"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("DescribeConfigsResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<DescribeConfigsResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt32(ThrottleTimeMs);
        writer.WriteArray(Results, flexible, version, "Results");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
