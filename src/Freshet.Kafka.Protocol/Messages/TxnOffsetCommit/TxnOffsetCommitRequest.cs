namespace Freshet.Kafka.Protocol.Messages;

/// <summary>TxnOffsetCommit request (key 28), versions 0-3, flexible from 3: commits a group's offsets inside the producer's transaction. v3 adds the consumer's generation, member id and group instance id.</summary>
public sealed class TxnOffsetCommitRequest : IKafkaMessage<TxnOffsetCommitRequest>
{
    internal const short FirstFlexibleVersion = 3;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.TxnOffsetCommit;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 3;

    /// <summary>The transactional id.</summary>
    public string TransactionalId { get; set; } = "";

    /// <summary>The consumer group.</summary>
    public string GroupId { get; set; } = "";

    /// <summary>The producer id bound to the transactional id.</summary>
    public long ProducerId { get; set; } = -1;

    /// <summary>The producer epoch the client holds.</summary>
    public short ProducerEpoch { get; set; } = -1;

    /// <summary>The consumer's generation (v3+), -1 if unknown.</summary>
    public int GenerationId { get; set; } = -1;

    /// <summary>The consumer's member id (v3+), empty if unknown.</summary>
    public string MemberId { get; set; } = "";

    /// <summary>The consumer's static instance id (v3+), or null.</summary>
    public string? GroupInstanceId { get; set; }

    /// <summary>The offsets to commit, by topic.</summary>
    public IReadOnlyList<TxnOffsetCommitRequestTopic> Topics { get; set; } = [];

    /// <inheritdoc/>
    public static TxnOffsetCommitRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<TxnOffsetCommitRequest>(version);
        bool flexible = version >= TxnOffsetCommitRequest.FirstFlexibleVersion;
        var message = new TxnOffsetCommitRequest();
        message.TransactionalId = reader.ReadString(flexible, "TransactionalId");
        message.GroupId = reader.ReadString(flexible, "GroupId");
        message.ProducerId = reader.ReadInt64("ProducerId");
        message.ProducerEpoch = reader.ReadInt16("ProducerEpoch");
        if (version >= 3)
        {
            message.GenerationId = reader.ReadInt32("GenerationId");
        }

        if (version >= 3)
        {
            message.MemberId = reader.ReadString(flexible, "MemberId");
        }

        if (version >= 3)
        {
            message.GroupInstanceId = reader.ReadNullableString(flexible, "GroupInstanceId");
        }

        message.Topics = reader.ReadArray<TxnOffsetCommitRequestTopic>(flexible, version, "Topics");
        if (flexible)
        {
            reader.SkipTaggedFields("TxnOffsetCommitRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<TxnOffsetCommitRequest>(version);
        bool flexible = version >= TxnOffsetCommitRequest.FirstFlexibleVersion;
        writer.WriteString(TransactionalId, flexible, "TransactionalId");
        writer.WriteString(GroupId, flexible, "GroupId");
        writer.WriteInt64(ProducerId);
        writer.WriteInt16(ProducerEpoch);
        if (version >= 3)
        {
            writer.WriteInt32(GenerationId);
        }

        if (version >= 3)
        {
            writer.WriteString(MemberId, flexible, "MemberId");
        }

        if (version >= 3)
        {
            writer.WriteNullableString(GroupInstanceId, flexible, "GroupInstanceId");
        }

        writer.WriteArray(Topics, flexible, version, "Topics");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
