namespace Freshet.Kafka.Protocol.Messages;

/// <summary>AddOffsetsToTxn request (key 25), versions 0-3, flexible from 3: adds a consumer group's offsets to the producer's transaction.</summary>
public sealed class AddOffsetsToTxnRequest : IKafkaMessage<AddOffsetsToTxnRequest>
{
    internal const short FirstFlexibleVersion = 3;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.AddOffsetsToTxn;

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

    /// <summary>The consumer group.</summary>
    public string GroupId { get; set; } = "";

    /// <inheritdoc/>
    public static AddOffsetsToTxnRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<AddOffsetsToTxnRequest>(version);
        bool flexible = version >= AddOffsetsToTxnRequest.FirstFlexibleVersion;
        var message = new AddOffsetsToTxnRequest();
        message.TransactionalId = reader.ReadString(flexible, "TransactionalId");
        message.ProducerId = reader.ReadInt64("ProducerId");
        message.ProducerEpoch = reader.ReadInt16("ProducerEpoch");
        message.GroupId = reader.ReadString(flexible, "GroupId");
        if (flexible)
        {
            reader.SkipTaggedFields("AddOffsetsToTxnRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<AddOffsetsToTxnRequest>(version);
        bool flexible = version >= AddOffsetsToTxnRequest.FirstFlexibleVersion;
        writer.WriteString(TransactionalId, flexible, "TransactionalId");
        writer.WriteInt64(ProducerId);
        writer.WriteInt16(ProducerEpoch);
        writer.WriteString(GroupId, flexible, "GroupId");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
