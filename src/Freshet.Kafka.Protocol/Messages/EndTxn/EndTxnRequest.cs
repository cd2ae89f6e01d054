namespace Freshet.Kafka.Protocol.Messages;

/// <summary>EndTxn request (key 26), versions 0-3, flexible from 3: commits or aborts the producer's transaction.</summary>
public sealed class EndTxnRequest : IKafkaMessage<EndTxnRequest>
{
    internal const short FirstFlexibleVersion = 3;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.EndTxn;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 3;

    /// <summary>The transactional id.</summary>
    public string TransactionalId { get; set; } = "";

    /// <summary>The producer id bound to the transactional id.</summary>
    public long ProducerId { get; set; } = -1;

    /// <summary>The producer epoch the client holds.</summary>
    public short ProducerEpoch { get; set; } = -1;

    /// <summary>True to commit, false to abort.</summary>
    public bool Committed { get; set; }

    /// <inheritdoc/>
    public static EndTxnRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<EndTxnRequest>(version);
        bool flexible = version >= EndTxnRequest.FirstFlexibleVersion;
        var message = new EndTxnRequest();
        message.TransactionalId = reader.ReadString(flexible, "TransactionalId");
        message.ProducerId = reader.ReadInt64("ProducerId");
        message.ProducerEpoch = reader.ReadInt16("ProducerEpoch");
        message.Committed = reader.ReadBool("Committed");
        if (flexible)
        {
            reader.SkipTaggedFields("EndTxnRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<EndTxnRequest>(version);
        bool flexible = version >= EndTxnRequest.FirstFlexibleVersion;
        writer.WriteString(TransactionalId, flexible, "TransactionalId");
        writer.WriteInt64(ProducerId);
        writer.WriteInt16(ProducerEpoch);
        writer.WriteBool(Committed);
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
