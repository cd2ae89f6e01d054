namespace Freshet.Kafka.Protocol;

/// <summary>
/// Which versions of each API are "flexible" (KIP-482: compact strings, arrays and bytes, and a
/// tagged-field section on every struct), from Kafka's message definitions, and the header versions
/// that follow: request header v2 and response header v1 for flexible versions, v1 and v0 otherwise,
/// except that the ApiVersions response header is always v0 (so a client that does not yet know the
/// broker's versions can always parse it). Pure functions; thread-safe.
/// </summary>
public static class FlexibleVersions
{
    /// <summary>The first flexible version of <paramref name="apiKey"/>, or -1 when no version is flexible or the key is unknown.</summary>
    public static short FirstFlexibleVersion(ApiKeys apiKey) => apiKey switch
    {
        ApiKeys.Produce => 9,
        ApiKeys.Fetch => 12,
        ApiKeys.ListOffsets => 6,
        ApiKeys.Metadata => 9,
        ApiKeys.OffsetCommit => 8,
        ApiKeys.OffsetFetch => 6,
        ApiKeys.FindCoordinator => 3,
        ApiKeys.JoinGroup => 6,
        ApiKeys.Heartbeat => 4,
        ApiKeys.LeaveGroup => 4,
        ApiKeys.SyncGroup => 4,
        ApiKeys.DescribeGroups => 5,
        ApiKeys.ListGroups => 3,
        ApiKeys.SaslHandshake => -1,
        ApiKeys.ApiVersions => 3,
        ApiKeys.CreateTopics => 5,
        ApiKeys.DeleteTopics => 4,
        ApiKeys.InitProducerId => 2,
        ApiKeys.AddPartitionsToTxn => 3,
        ApiKeys.AddOffsetsToTxn => 3,
        ApiKeys.EndTxn => 3,
        ApiKeys.WriteTxnMarkers => 1,
        ApiKeys.TxnOffsetCommit => 3,
        ApiKeys.DescribeAcls => 2,
        ApiKeys.CreateAcls => 2,
        ApiKeys.DeleteAcls => 2,
        ApiKeys.DescribeConfigs => 4,
        ApiKeys.SaslAuthenticate => 2,
        ApiKeys.CreatePartitions => 2,
        ApiKeys.DeleteRecords => 2,
        ApiKeys.OffsetForLeaderEpoch => 4,
        ApiKeys.AlterConfigs => 2,
        ApiKeys.DeleteGroups => 2,
        ApiKeys.IncrementalAlterConfigs => 1,
        ApiKeys.OffsetDelete => -1,
        ApiKeys.DescribeUserScramCredentials => 0,
        ApiKeys.AlterUserScramCredentials => 0,
        ApiKeys.DescribeCluster => 0,
        ApiKeys.DescribeProducers => 0,
        ApiKeys.DescribeTransactions => 0,
        ApiKeys.ListTransactions => 0,
        ApiKeys.ConsumerGroupHeartbeat => 0,
        ApiKeys.ConsumerGroupDescribe => 0,
        _ => -1,
    };

    /// <summary>Whether <paramref name="version"/> of <paramref name="apiKey"/> uses the flexible encoding.</summary>
    public static bool IsFlexible(ApiKeys apiKey, short version)
    {
        short first = FirstFlexibleVersion(apiKey);
        return first >= 0 && version >= first;
    }

    /// <summary>The request header version a request of this API and version carries: 2 when flexible, else 1.</summary>
    public static short RequestHeaderVersion(ApiKeys apiKey, short apiVersion) =>
        IsFlexible(apiKey, apiVersion) ? (short)2 : (short)1;

    /// <summary>The response header version to answer with: 1 when flexible, else 0; always 0 for ApiVersions.</summary>
    public static short ResponseHeaderVersion(ApiKeys apiKey, short apiVersion) =>
        apiKey != ApiKeys.ApiVersions && IsFlexible(apiKey, apiVersion) ? (short)1 : (short)0;
}
