namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// DeleteTopics request (key 20), versions 0-4, flexible from v4. Versions 0-3 are identical.
/// (v5 adds error messages and v6 topic ids; neither is supported.)
/// </summary>
public sealed class DeleteTopicsRequest : IKafkaMessage<DeleteTopicsRequest>
{
    internal const short FirstFlexibleVersion = 4;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.DeleteTopics;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 4;

    /// <summary>The names of the topics to delete.</summary>
    public IReadOnlyList<string> TopicNames { get; set; } = [];

    /// <summary>Milliseconds to wait for the deletions to complete.</summary>
    public int TimeoutMs { get; set; }

    /// <inheritdoc/>
    public static DeleteTopicsRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<DeleteTopicsRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new DeleteTopicsRequest
        {
            TopicNames = reader.ReadStringArray(flexible, "TopicNames"),
            TimeoutMs = reader.ReadInt32("TimeoutMs"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("DeleteTopicsRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<DeleteTopicsRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteStringArray(TopicNames, flexible, "TopicNames");
        writer.WriteInt32(TimeoutMs);

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
