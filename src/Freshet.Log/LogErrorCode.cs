namespace Freshet.Log;

/// <summary>
/// Why the log refused an operation. The numeric values are Kafka's protocol error codes, so the
/// broker returns them to clients unchanged.
/// </summary>
public enum LogErrorCode : short
{
    /// <summary>An error the log could not classify (Kafka's UNKNOWN_SERVER_ERROR).</summary>
    UnknownServerError = -1,

    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The requested offset is below <c>LogStartOffset</c> or above <c>LogEndOffset</c>.</summary>
    OffsetOutOfRange = 1,

    /// <summary>A batch failed its CRC or structural checks (Kafka's CORRUPT_MESSAGE).</summary>
    CorruptMessage = 2,

    /// <summary>The topic or partition does not exist.</summary>
    UnknownTopicOrPartition = 3,

    /// <summary>A batch is larger than the topic's <c>MaxBatchBytes</c>.</summary>
    MessageTooLarge = 10,

    /// <summary>The metadata string of an offset commit is longer than allowed (Kafka's OFFSET_METADATA_TOO_LARGE).</summary>
    OffsetMetadataTooLarge = 12,

    /// <summary>The topic name is not legal (Kafka's INVALID_TOPIC_EXCEPTION).</summary>
    InvalidTopic = 17,

    /// <summary>The consumer group id is empty or otherwise not legal (Kafka's INVALID_GROUP_ID).</summary>
    InvalidGroupId = 24,

    /// <summary>A record's timestamp is outside the range the topic accepts (Kafka's INVALID_TIMESTAMP; <c>message.timestamp.before.max.ms</c> / <c>after.max.ms</c>).</summary>
    InvalidTimestamp = 32,

    /// <summary>The topic already exists.</summary>
    TopicAlreadyExists = 36,

    /// <summary>The number of partitions is not legal.</summary>
    InvalidPartitions = 37,

    /// <summary>A topic configuration value is not legal.</summary>
    InvalidConfig = 40,

    /// <summary>The request is malformed or breaks a protocol rule (Kafka's INVALID_REQUEST).</summary>
    InvalidRequest = 42,

    /// <summary>The batch uses a record format this log does not store (only magic 2 is accepted).</summary>
    UnsupportedForMessageFormat = 43,

    /// <summary>The request is valid but breaks a policy of the topic or broker (Kafka's POLICY_VIOLATION).</summary>
    PolicyViolation = 44,

    /// <summary>An idempotent producer's sequence number does not follow the last one stored.</summary>
    OutOfOrderSequenceNumber = 45,

    /// <summary>An idempotent producer re-sent a batch that is too old to be recognised.</summary>
    DuplicateSequenceNumber = 46,

    /// <summary>An idempotent producer used an epoch older than the one the log already holds.</summary>
    InvalidProducerEpoch = 47,

    /// <summary>A transactional request does not fit the transaction's state (for example a transactional append to a partition not added to the transaction, or ending a transaction that was never begun).</summary>
    InvalidTxnState = 48,

    /// <summary>The producer id does not belong to the transactional id (Kafka's INVALID_PRODUCER_ID_MAPPING).</summary>
    InvalidProducerIdMapping = 49,

    /// <summary>The transaction timeout is not positive or larger than the coordinator allows.</summary>
    InvalidTransactionTimeout = 50,

    /// <summary>Another operation on the same transactional id is in progress; the caller retries.</summary>
    ConcurrentTransactions = 51,

    /// <summary>The storage failed (I/O error, or corruption inside a sealed segment).</summary>
    KafkaStorageError = 56,

    /// <summary>The compression codec in the batch attributes is not known.</summary>
    UnsupportedCompressionType = 76,

    /// <summary>A record inside the batch breaks a topic rule (for example a null key on a compacted topic).</summary>
    InvalidRecord = 87,

    /// <summary>A newer instance with the same transactional id has fenced this producer (its epoch is stale).</summary>
    ProducerFenced = 90,
}
