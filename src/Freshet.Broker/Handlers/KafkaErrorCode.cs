namespace Freshet.Broker.Handlers;

/// <summary>
/// Kafka protocol error codes the handlers send that the log never raises (those are
/// <see cref="Freshet.Log.LogErrorCode"/>, whose values are Kafka's too). Values and names are Kafka's
/// (<c>org.apache.kafka.common.protocol.Errors</c>).
/// </summary>
internal static class KafkaErrorCode
{
    /// <summary>No error.</summary>
    public const short None = 0;

    /// <summary>UNKNOWN_SERVER_ERROR: a failure the broker could not classify.</summary>
    public const short UnknownServerError = -1;

    /// <summary>OFFSET_OUT_OF_RANGE.</summary>
    public const short OffsetOutOfRange = 1;

    /// <summary>CORRUPT_MESSAGE.</summary>
    public const short CorruptMessage = 2;

    /// <summary>UNKNOWN_TOPIC_OR_PARTITION.</summary>
    public const short UnknownTopicOrPartition = 3;

    /// <summary>INVALID_TOPIC_EXCEPTION: the topic name is not legal.</summary>
    public const short InvalidTopic = 17;

    /// <summary>INVALID_REQUIRED_ACKS: Produce acks other than 0, 1 or -1.</summary>
    public const short InvalidRequiredAcks = 21;

    /// <summary>UNSUPPORTED_VERSION: the API version is not supported.</summary>
    public const short UnsupportedVersion = 35;

    /// <summary>INVALID_CONFIG: an unknown configuration name, a bad value, or an operation the setting does not allow.</summary>
    public const short InvalidConfig = 40;

    /// <summary>INVALID_REQUEST: the request breaks a protocol rule.</summary>
    public const short InvalidRequest = 42;

    /// <summary>INVALID_PRODUCER_EPOCH: the producer's epoch is stale (what versions before PRODUCER_FENCED get instead of it).</summary>
    public const short InvalidProducerEpoch = 47;

    /// <summary>OPERATION_NOT_ATTEMPTED: nothing was done for this partition because another one in the request failed.</summary>
    public const short OperationNotAttempted = 55;

    /// <summary>PRODUCER_FENCED: a newer producer instance holds the transactional id.</summary>
    public const short ProducerFenced = 90;

    /// <summary>POLICY_VIOLATION: the request breaks a broker limit (here: the partition limit).</summary>
    public const short PolicyViolation = 44;

    /// <summary>KAFKA_STORAGE_ERROR.</summary>
    public const short KafkaStorageError = 56;

    /// <summary>FENCED_LEADER_EPOCH: the client's leader epoch is older than the partition's.</summary>
    public const short FencedLeaderEpoch = 74;

    /// <summary>UNKNOWN_LEADER_EPOCH: the client's leader epoch is newer than the partition's.</summary>
    public const short UnknownLeaderEpoch = 76;

    /// <summary>TRANSACTIONAL_ID_NOT_FOUND: DescribeTransactions of a transactional id the coordinator does not know.</summary>
    public const short TransactionalIdNotFound = 105;

    /// <summary>MISMATCHED_ENDPOINT_TYPE: DescribeCluster asked a broker endpoint for another endpoint type.</summary>
    public const short MismatchedEndpointType = 114;

    /// <summary>UNSUPPORTED_ENDPOINT_TYPE: DescribeCluster asked for an endpoint type that does not exist.</summary>
    public const short UnsupportedEndpointType = 115;

    /// <summary>FETCH_SESSION_ID_NOT_FOUND: the broker keeps no fetch sessions, so any non-zero session id is unknown.</summary>
    public const short FetchSessionIdNotFound = 70;

    /// <summary>UNKNOWN_TOPIC_ID.</summary>
    public const short UnknownTopicId = 100;

    /// <summary>TOPIC_AUTHORIZATION_FAILED: the principal may not perform the operation on the topic.</summary>
    public const short TopicAuthorizationFailed = 29;

    /// <summary>GROUP_AUTHORIZATION_FAILED: the principal may not perform the operation on the group.</summary>
    public const short GroupAuthorizationFailed = 30;

    /// <summary>CLUSTER_AUTHORIZATION_FAILED: the principal may not perform the operation on the cluster.</summary>
    public const short ClusterAuthorizationFailed = 31;

    /// <summary>TRANSACTIONAL_ID_AUTHORIZATION_FAILED: the principal may not use the transactional id.</summary>
    public const short TransactionalIdAuthorizationFailed = 53;

    /// <summary>SECURITY_DISABLED: an ACL API was called on a broker without authorization.</summary>
    public const short SecurityDisabled = 54;

    /// <summary>UNSUPPORTED_SASL_MECHANISM: SaslHandshake named a mechanism the broker has not enabled.</summary>
    public const short UnsupportedSaslMechanism = 33;

    /// <summary>ILLEGAL_SASL_STATE: a SASL request the connection's state does not allow (for example on a PLAINTEXT listener).</summary>
    public const short IllegalSaslState = 34;

    /// <summary>SASL_AUTHENTICATION_FAILED: wrong credentials or a malformed SASL token.</summary>
    public const short SaslAuthenticationFailed = 58;

    /// <summary>RESOURCE_NOT_FOUND: a SCRAM credential to describe or delete does not exist.</summary>
    public const short ResourceNotFound = 91;

    /// <summary>DUPLICATE_RESOURCE: one request names the same user (and mechanism) twice.</summary>
    public const short DuplicateResource = 92;

    /// <summary>UNACCEPTABLE_CREDENTIAL: a SCRAM credential with an empty user name, too few or too many iterations, or no salt.</summary>
    public const short UnacceptableCredential = 93;
}
