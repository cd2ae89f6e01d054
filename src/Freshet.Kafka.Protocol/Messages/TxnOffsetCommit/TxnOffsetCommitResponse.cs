namespace Freshet.Kafka.Protocol.Messages;

/// <summary>TxnOffsetCommit response (key 28), versions 0-3, flexible from 3: an error code per partition.</summary>
public sealed class TxnOffsetCommitResponse : IKafkaMessage<TxnOffsetCommitResponse>
{
    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.TxnOffsetCommit;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 3;

    /// <summary>Milliseconds the request was throttled for a quota, 0 if not.</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The results, by topic.</summary>
    public IReadOnlyList<TxnOffsetCommitResponseTopic> Topics { get; set; } = [];

    /// <inheritdoc/>
    public static TxnOffsetCommitResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<TxnOffsetCommitResponse>(version);
        bool flexible = version >= TxnOffsetCommitRequest.FirstFlexibleVersion;
        var message = new TxnOffsetCommitResponse();
        message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        message.Topics = reader.ReadArray<TxnOffsetCommitResponseTopic>(flexible, version, "Topics");
        if (flexible)
        {
            reader.SkipTaggedFields("TxnOffsetCommitResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<TxnOffsetCommitResponse>(version);
        bool flexible = version >= TxnOffsetCommitRequest.FirstFlexibleVersion;
        writer.WriteInt32(ThrottleTimeMs);
        writer.WriteArray(Topics, flexible, version, "Topics");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
