namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// InitProducerId request (key 22), versions 0-4, flexible from 2: obtain a producer id and epoch for an
/// idempotent producer (null transactional id) or a transactional one. v3 adds the current producer id
/// and epoch, so a producer can bump its epoch instead of getting a new id.
/// </summary>
public sealed class InitProducerIdRequest : IKafkaMessage<InitProducerIdRequest>
{
    internal const short FirstFlexibleVersion = 2;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.InitProducerId;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 4;

    /// <summary>The transactional id, or null for an idempotent producer outside transactions.</summary>
    public string? TransactionalId { get; set; }

    /// <summary>Milliseconds before an idle transaction is aborted; meaningful only with a transactional id.</summary>
    public int TransactionTimeoutMs { get; set; }

    /// <summary>The producer's current id (v3+), -1 for none.</summary>
    public long ProducerId { get; set; } = -1;

    /// <summary>The producer's current epoch (v3+), -1 for none.</summary>
    public short ProducerEpoch { get; set; } = -1;

    /// <inheritdoc/>
    public static InitProducerIdRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<InitProducerIdRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new InitProducerIdRequest
        {
            TransactionalId = reader.ReadNullableString(flexible, "TransactionalId"),
            TransactionTimeoutMs = reader.ReadInt32("TransactionTimeoutMs"),
        };
        if (version >= 3)
        {
            message.ProducerId = reader.ReadInt64("ProducerId");
            message.ProducerEpoch = reader.ReadInt16("ProducerEpoch");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("InitProducerIdRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<InitProducerIdRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteNullableString(TransactionalId, flexible, "TransactionalId");
        writer.WriteInt32(TransactionTimeoutMs);
        if (version >= 3)
        {
            writer.WriteInt64(ProducerId);
            writer.WriteInt16(ProducerEpoch);
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
