namespace Freshet.Kafka.Protocol;

/// <summary>
/// Kafka's API keys: the int16 at the start of every request header that names the API. The values
/// are Kafka's own. A value read from the wire may be one not listed here; the enum still holds it.
/// </summary>
public enum ApiKeys : short
{
    /// <summary>Append record batches to partitions.</summary>
    Produce = 0,

    /// <summary>Read record batches from partitions.</summary>
    Fetch = 1,

    /// <summary>Look up offsets by timestamp (earliest, latest, or a time).</summary>
    ListOffsets = 2,

    /// <summary>Brokers, topics, partitions and leaders.</summary>
    Metadata = 3,

    /// <summary>Commit consumer group offsets.</summary>
    OffsetCommit = 8,

    /// <summary>Fetch committed consumer group offsets.</summary>
    OffsetFetch = 9,

    /// <summary>Find the group or transaction coordinator for a key.</summary>
    FindCoordinator = 10,

    /// <summary>Join a consumer group.</summary>
    JoinGroup = 11,

    /// <summary>Keep a group membership alive.</summary>
    Heartbeat = 12,

    /// <summary>Leave a consumer group.</summary>
    LeaveGroup = 13,

    /// <summary>Distribute (leader) or receive (follower) partition assignments.</summary>
    SyncGroup = 14,

    /// <summary>Describe consumer groups.</summary>
    DescribeGroups = 15,

    /// <summary>List consumer groups.</summary>
    ListGroups = 16,

    /// <summary>SASL mechanism negotiation: the client names a mechanism, the broker lists the enabled ones.</summary>
    SaslHandshake = 17,

    /// <summary>The APIs and versions a broker supports.</summary>
    ApiVersions = 18,

    /// <summary>Create topics.</summary>
    CreateTopics = 19,

    /// <summary>Delete topics.</summary>
    DeleteTopics = 20,

    /// <summary>Delete records below an offset (codec only, not advertised).</summary>
    DeleteRecords = 21,

    /// <summary>Obtain a producer id and epoch (idempotent and transactional producers).</summary>
    InitProducerId = 22,

    /// <summary>End offset of a leader epoch, for truncation checks (codec only, not advertised).</summary>
    OffsetForLeaderEpoch = 23,

    /// <summary>Add partitions to a transaction.</summary>
    AddPartitionsToTxn = 24,

    /// <summary>Add a group's offsets to a transaction.</summary>
    AddOffsetsToTxn = 25,

    /// <summary>Commit or abort a transaction.</summary>
    EndTxn = 26,

    /// <summary>Write transaction markers (inter-broker; known, never advertised).</summary>
    WriteTxnMarkers = 27,

    /// <summary>Commit offsets inside a transaction.</summary>
    TxnOffsetCommit = 28,

    /// <summary>Describe the ACLs matching a filter.</summary>
    DescribeAcls = 29,

    /// <summary>Create ACL bindings.</summary>
    CreateAcls = 30,

    /// <summary>Delete the ACLs matching filters.</summary>
    DeleteAcls = 31,

    /// <summary>Describe topic and broker configuration.</summary>
    DescribeConfigs = 32,

    /// <summary>Replace a resource's configuration (codec only, not advertised).</summary>
    AlterConfigs = 33,

    /// <summary>One SASL authentication token exchange.</summary>
    SaslAuthenticate = 36,

    /// <summary>Add partitions to topics.</summary>
    CreatePartitions = 37,

    /// <summary>Delete consumer groups (codec only, not advertised).</summary>
    DeleteGroups = 42,

    /// <summary>Change single configuration entries (codec only, not advertised).</summary>
    IncrementalAlterConfigs = 44,

    /// <summary>Delete a group's committed offsets (codec only, not advertised).</summary>
    OffsetDelete = 47,

    /// <summary>Describe users' SCRAM credentials (mechanisms and iterations).</summary>
    DescribeUserScramCredentials = 50,

    /// <summary>Set or delete users' SCRAM credentials.</summary>
    AlterUserScramCredentials = 51,

    /// <summary>Cluster id, controller and brokers (codec only, not advertised).</summary>
    DescribeCluster = 60,

    /// <summary>Active producers of partitions (codec only, not advertised).</summary>
    DescribeProducers = 61,

    /// <summary>State of transactional ids (codec only, not advertised).</summary>
    DescribeTransactions = 65,

    /// <summary>List transactional ids (codec only, not advertised).</summary>
    ListTransactions = 66,

    /// <summary>Heartbeat of the KIP-848 consumer group protocol (codec only, not advertised).</summary>
    ConsumerGroupHeartbeat = 68,

    /// <summary>Describe groups of the KIP-848 consumer group protocol with their members' assignments.</summary>
    ConsumerGroupDescribe = 69,
}
