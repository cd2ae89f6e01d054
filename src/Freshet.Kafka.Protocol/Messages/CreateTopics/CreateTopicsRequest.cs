namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// CreateTopics request (key 19), versions 0-4; flexible from v5, beyond this codec's range.
/// v1 adds validate-only; from v4 the partition count and replication factor may be -1 (the broker's
/// defaults) even without a manual assignment (KIP-464).
/// </summary>
public sealed class CreateTopicsRequest : IKafkaMessage<CreateTopicsRequest>
{
    internal const short FirstFlexibleVersion = 5;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.CreateTopics;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 4;

    /// <summary>The topics to create.</summary>
    public IReadOnlyList<CreatableTopic> Topics { get; set; } = [];

    /// <summary>Milliseconds to wait for the topics to be created; 60000 by default.</summary>
    public int TimeoutMs { get; set; } = 60000;

    /// <summary>Whether only to check that the topics could be created, creating nothing (v1+).</summary>
    public bool ValidateOnly { get; set; }

    /// <inheritdoc/>
    public static CreateTopicsRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<CreateTopicsRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new CreateTopicsRequest
        {
            Topics = reader.ReadArray<CreatableTopic>(flexible, version, "Topics"),
            TimeoutMs = reader.ReadInt32("TimeoutMs"),
        };
        if (version >= 1)
        {
            message.ValidateOnly = reader.ReadBool("ValidateOnly");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("CreateTopicsRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<CreateTopicsRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteArray(Topics, flexible, version, "Topics");
        writer.WriteInt32(TimeoutMs);
        if (version >= 1)
        {
            writer.WriteBool(ValidateOnly);
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
