namespace Freshet.Kafka.Protocol.Messages;

/// <summary>AddPartitionsToTxn response (key 24), versions 0-3, flexible from 3: a result per partition.</summary>
public sealed class AddPartitionsToTxnResponse : IKafkaMessage<AddPartitionsToTxnResponse>
{
    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.AddPartitionsToTxn;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 3;

    /// <summary>Milliseconds the request was throttled for a quota, 0 if not.</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>The results, by topic.</summary>
    public IReadOnlyList<AddPartitionsToTxnTopicResult> Results { get; set; } = [];

    /// <inheritdoc/>
    public static AddPartitionsToTxnResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<AddPartitionsToTxnResponse>(version);
        bool flexible = version >= AddPartitionsToTxnRequest.FirstFlexibleVersion;
        var message = new AddPartitionsToTxnResponse();
        message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        message.Results = reader.ReadArray<AddPartitionsToTxnTopicResult>(flexible, version, "Results");
        if (flexible)
        {
            reader.SkipTaggedFields("AddPartitionsToTxnResponse");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<AddPartitionsToTxnResponse>(version);
        bool flexible = version >= AddPartitionsToTxnRequest.FirstFlexibleVersion;
        writer.WriteInt32(ThrottleTimeMs);
        writer.WriteArray(Results, flexible, version, "Results");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
