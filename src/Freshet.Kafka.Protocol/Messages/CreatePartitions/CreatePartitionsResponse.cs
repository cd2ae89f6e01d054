namespace Freshet.Kafka.Protocol.Messages;

/// <summary>CreatePartitions response (key 37), versions 0-3, flexible from v2.</summary>
public sealed class CreatePartitionsResponse : IKafkaMessage<CreatePartitionsResponse>
{
    internal const short FirstFlexibleVersion = 2;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.CreatePartitions;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 3;

    /// <summary>Milliseconds the response was throttled for a quota violation, 0 if it was not.</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The result for each topic.</summary>
    public IReadOnlyList<CreatePartitionsTopicResult> Results { get; set; } = [];

    /// <inheritdoc/>
    public static CreatePartitionsResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<CreatePartitionsResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new CreatePartitionsResponse
        {
            ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs"),
            Results = reader.ReadArray<CreatePartitionsTopicResult>(flexible, version, "Results"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("CreatePartitionsResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<CreatePartitionsResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt32(ThrottleTimeMs);
        writer.WriteArray(Results, flexible, version, "Results");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
