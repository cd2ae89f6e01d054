namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// CreatePartitions request (key 37), versions 0-3, flexible from v2; v1 and v3 change only the errors
/// the broker may answer with. Raises topics' partition counts.
/// </summary>
public sealed class CreatePartitionsRequest : IKafkaMessage<CreatePartitionsRequest>
{
    internal const short FirstFlexibleVersion = 2;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.CreatePartitions;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 3;

    /// <summary>The topics to grow.</summary>
    public IReadOnlyList<CreatePartitionsTopic> Topics { get; set; } = [];

    /// <summary>Milliseconds to wait for the partitions to be created.</summary>
    public int TimeoutMs { get; set; }

    /// <summary>Whether only to check the request, creating nothing.</summary>
    public bool ValidateOnly { get; set; }

    /// <inheritdoc/>
    public static CreatePartitionsRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<CreatePartitionsRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new CreatePartitionsRequest
        {
            Topics = reader.ReadArray<CreatePartitionsTopic>(flexible, version, "Topics"),
            TimeoutMs = reader.ReadInt32("TimeoutMs"),
            ValidateOnly = reader.ReadBool("ValidateOnly"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("CreatePartitionsRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<CreatePartitionsRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteArray(Topics, flexible, version, "Topics");
        writer.WriteInt32(TimeoutMs);
        writer.WriteBool(ValidateOnly);

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
