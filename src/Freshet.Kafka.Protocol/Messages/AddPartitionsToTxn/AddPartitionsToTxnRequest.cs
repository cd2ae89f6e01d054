namespace Freshet.Kafka.Protocol.Messages;

/// <summary>AddPartitionsToTxn request (key 24), versions 0-3, flexible from 3: adds partitions to the producer's transaction (the client form; v4+ is broker to broker).</summary>
public sealed class AddPartitionsToTxnRequest : IKafkaMessage<AddPartitionsToTxnRequest>
{
    internal const short FirstFlexibleVersion = 3;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.AddPartitionsToTxn;

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

    /// <summary>The partitions to add, by topic.</summary>
    public IReadOnlyList<AddPartitionsToTxnTopic> Topics { get; set; } = [];

    /// <inheritdoc/>
    public static AddPartitionsToTxnRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<AddPartitionsToTxnRequest>(version);
        bool flexible = version >= AddPartitionsToTxnRequest.FirstFlexibleVersion;
        var message = new AddPartitionsToTxnRequest();
        message.TransactionalId = reader.ReadString(flexible, "TransactionalId");
        message.ProducerId = reader.ReadInt64("ProducerId");
        message.ProducerEpoch = reader.ReadInt16("ProducerEpoch");
        message.Topics = reader.ReadArray<AddPartitionsToTxnTopic>(flexible, version, "Topics");
        if (flexible)
        {
            reader.SkipTaggedFields("AddPartitionsToTxnRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<AddPartitionsToTxnRequest>(version);
        bool flexible = version >= AddPartitionsToTxnRequest.FirstFlexibleVersion;
        writer.WriteString(TransactionalId, flexible, "TransactionalId");
        writer.WriteInt64(ProducerId);
        writer.WriteInt16(ProducerEpoch);
        writer.WriteArray(Topics, flexible, version, "Topics");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
