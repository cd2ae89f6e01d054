namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// Metadata request (key 3), versions 1-12, flexible from 9. A null topic list asks for every topic;
/// an empty one for none. v4 adds the auto-creation flag (absent means allowed), v8 the authorized
/// operations flags (the cluster one only in v8-10), v10 topic ids and nullable topic names.
/// </summary>
public sealed class MetadataRequest : IKafkaMessage<MetadataRequest>
{
    internal const short FirstFlexibleVersion = 9;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.Metadata;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 1;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 12;

    /// <summary>The topics to describe; null for all topics.</summary>
    public IReadOnlyList<MetadataRequestTopic>? Topics { get; set; } = [];

    /// <summary>Whether the broker may create requested topics that do not exist (v4+; true before).</summary>
    public bool AllowAutoTopicCreation { get; set; } = true;

    /// <summary>Whether to include the cluster's authorized operations (v8-10).</summary>
    public bool IncludeClusterAuthorizedOperations { get; set; }

    /// <summary>Whether to include each topic's authorized operations (v8+).</summary>
    public bool IncludeTopicAuthorizedOperations { get; set; }

    /// <inheritdoc/>
    public static MetadataRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<MetadataRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new MetadataRequest
        {
            Topics = reader.ReadNullableArray<MetadataRequestTopic>(flexible, version, "Topics"),
        };
        if (version >= 4)
        {
            message.AllowAutoTopicCreation = reader.ReadBool("AllowAutoTopicCreation");
        }

        if (version is >= 8 and <= 10)
        {
            message.IncludeClusterAuthorizedOperations = reader.ReadBool("IncludeClusterAuthorizedOperations");
        }

        if (version >= 8)
        {
            message.IncludeTopicAuthorizedOperations = reader.ReadBool("IncludeTopicAuthorizedOperations");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("MetadataRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<MetadataRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteNullableArray(Topics, flexible, version, "Topics");
        if (version >= 4)
        {
            writer.WriteBool(AllowAutoTopicCreation);
        }

        if (version is >= 8 and <= 10)
        {
            writer.WriteBool(IncludeClusterAuthorizedOperations);
        }

        if (version >= 8)
        {
            writer.WriteBool(IncludeTopicAuthorizedOperations);
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
