namespace Freshet.Kafka.Protocol;

/// <summary>
/// The APIs and version ranges the Freshet broker advertises in ApiVersions and accepts. Every version
/// inside a range must work, because some clients send the broker's maximum whatever their own minimum
/// is. Each range here is also the range the codec implements for that API's messages.
/// Immutable; thread-safe.
/// </summary>
internal static class SupportedApis
{
    // Ascending by API key, as Kafka lists them.
    private static readonly ApiVersionRange[] Ranges =
    [
        new(ApiKeys.Produce, 3, 9),
        new(ApiKeys.Fetch, 4, 12),
        new(ApiKeys.ListOffsets, 0, 7),
        new(ApiKeys.Metadata, 0, 12),
        new(ApiKeys.OffsetCommit, 0, 9),
        new(ApiKeys.OffsetFetch, 0, 7),
        new(ApiKeys.FindCoordinator, 0, 2),
        new(ApiKeys.JoinGroup, 0, 5),
        new(ApiKeys.Heartbeat, 0, 3),
        new(ApiKeys.LeaveGroup, 0, 3),
        new(ApiKeys.SyncGroup, 0, 3),
        new(ApiKeys.DescribeGroups, 0, 5),
        new(ApiKeys.ListGroups, 0, 5),
        new(ApiKeys.SaslHandshake, 0, 1),
        new(ApiKeys.ApiVersions, 0, 3),
        new(ApiKeys.CreateTopics, 0, 4),
        new(ApiKeys.DeleteTopics, 0, 4),
        new(ApiKeys.DeleteRecords, 0, 2),
        new(ApiKeys.InitProducerId, 0, 4),
        new(ApiKeys.OffsetForLeaderEpoch, 0, 4),
        new(ApiKeys.AddPartitionsToTxn, 0, 3),
        new(ApiKeys.AddOffsetsToTxn, 0, 3),
        new(ApiKeys.EndTxn, 0, 3),
        new(ApiKeys.TxnOffsetCommit, 0, 3),
        new(ApiKeys.DescribeAcls, 0, 3),
        new(ApiKeys.CreateAcls, 0, 3),
        new(ApiKeys.DeleteAcls, 0, 3),
        new(ApiKeys.DescribeConfigs, 0, 4),
        new(ApiKeys.AlterConfigs, 0, 2),
        new(ApiKeys.SaslAuthenticate, 0, 2),
        new(ApiKeys.CreatePartitions, 0, 3),
        new(ApiKeys.DeleteGroups, 0, 2),
        new(ApiKeys.IncrementalAlterConfigs, 0, 1),
        new(ApiKeys.OffsetDelete, 0, 0),
        new(ApiKeys.DescribeUserScramCredentials, 0, 0),
        new(ApiKeys.AlterUserScramCredentials, 0, 0),
        new(ApiKeys.DescribeCluster, 0, 1),
        new(ApiKeys.DescribeProducers, 0, 0),
        new(ApiKeys.DescribeTransactions, 0, 0),
        new(ApiKeys.ListTransactions, 0, 1),
        new(ApiKeys.ConsumerGroupHeartbeat, 0, 1),
        new(ApiKeys.ConsumerGroupDescribe, 0, 0),
    ];

    /// <summary>Every supported API with its range, ascending by API key.</summary>
    public static IReadOnlyList<ApiVersionRange> All => Ranges;

    /// <summary>Finds the supported range of <paramref name="apiKey"/>; false when the API is not supported at all.</summary>
    public static bool TryGetRange(ApiKeys apiKey, out ApiVersionRange range)
    {
        foreach (var candidate in Ranges)
        {
            if (candidate.ApiKey == apiKey)
            {
                range = candidate;
                return true;
            }
        }

        range = default;
        return false;
    }

    /// <summary>Whether <paramref name="version"/> of <paramref name="apiKey"/> is supported.</summary>
    public static bool IsSupported(ApiKeys apiKey, short version) =>
        TryGetRange(apiKey, out var range) && range.Contains(version);
}
