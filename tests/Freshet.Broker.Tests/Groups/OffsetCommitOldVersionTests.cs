using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests.Groups;

/// <summary>OffsetCommit v0 and v1 (no generation in v0, a commit timestamp in v1) and OffsetFetch v0, as old clients send them.</summary>
public sealed class OffsetCommitOldVersionTests
{
    [Fact]
    public async Task OffsetCommit_V0AndV1_StoredAndReadBackByOffsetFetchV0AndV7()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("old", 2);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var v0 = await client.RoundTripAsync<OffsetCommitRequest, OffsetCommitResponse>(
            new OffsetCommitRequest
            {
                GroupId = "old-group",
                Topics = [new OffsetCommitRequestTopic { Name = "old", Partitions = [new OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 5, CommittedMetadata = "v0" }] }],
            },
            0);
        var v1 = await client.RoundTripAsync<OffsetCommitRequest, OffsetCommitResponse>(
            new OffsetCommitRequest
            {
                GroupId = "old-group",
                Topics = [new OffsetCommitRequestTopic { Name = "old", Partitions = [new OffsetCommitRequestPartition { PartitionIndex = 1, CommittedOffset = 9, CommitTimestamp = 1_700_000_000_000, CommittedMetadata = "v1" }] }],
            },
            1);

        Assert.Equal(0, Assert.Single(Assert.Single(v0.Topics).Partitions).ErrorCode);
        Assert.Equal(0, Assert.Single(Assert.Single(v1.Topics).Partitions).ErrorCode);
        foreach (short version in new short[] { 0, 7 })
        {
            var fetched = await client.RoundTripAsync<OffsetFetchRequest, OffsetFetchResponse>(
                new OffsetFetchRequest { GroupId = "old-group", Topics = [new OffsetFetchRequestTopic { Name = "old", PartitionIndexes = [0, 1] }] },
                version);

            var partitions = Assert.Single(fetched.Topics).Partitions;
            Assert.Equal([(0, 5L, "v0"), (1, 9L, "v1")], partitions.Select(p => (p.PartitionIndex, p.CommittedOffset, p.Metadata)).OrderBy(p => p.PartitionIndex));
        }
    }
}
