using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Kafka.Protocol.Tests.Messages;

/// <summary>
/// The broker advertises exactly the range each group and admin codec implements, since a client may send
/// any version inside an advertised range.
/// </summary>
public class GroupAndAdminSupportedApisTests
{
    [Fact]
    public void TryGetRange_EveryGroupAndAdminApi_MatchesBothCodecRanges()
    {
        AssertAdvertised<JoinGroupRequest, JoinGroupResponse>();
        AssertAdvertised<SyncGroupRequest, SyncGroupResponse>();
        AssertAdvertised<HeartbeatRequest, HeartbeatResponse>();
        AssertAdvertised<LeaveGroupRequest, LeaveGroupResponse>();
        AssertAdvertised<OffsetCommitRequest, OffsetCommitResponse>();
        AssertAdvertised<OffsetFetchRequest, OffsetFetchResponse>();
        AssertAdvertised<DescribeGroupsRequest, DescribeGroupsResponse>();
        AssertAdvertised<ListGroupsRequest, ListGroupsResponse>();
        AssertAdvertised<CreateTopicsRequest, CreateTopicsResponse>();
        AssertAdvertised<DeleteTopicsRequest, DeleteTopicsResponse>();
        AssertAdvertised<CreatePartitionsRequest, CreatePartitionsResponse>();
        AssertAdvertised<DescribeConfigsRequest, DescribeConfigsResponse>();
        AssertAdvertised<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse>();
    }

    [Fact]
    public void All_Always_AscendingByApiKeyWithoutDuplicates()
    {
        for (int i = 1; i < SupportedApis.All.Count; i++)
        {
            Assert.True(SupportedApis.All[i - 1].ApiKey < SupportedApis.All[i].ApiKey, $"{SupportedApis.All[i].ApiKey} is out of order");
        }
    }

    private static void AssertAdvertised<TRequest, TResponse>()
        where TRequest : IKafkaMessage<TRequest>
        where TResponse : IKafkaMessage<TResponse>
    {
        Assert.Equal(TRequest.ApiKey, TResponse.ApiKey);
        Assert.True(SupportedApis.TryGetRange(TRequest.ApiKey, out var range), $"{TRequest.ApiKey} is not advertised");
        Assert.Equal(new ApiVersionRange(TRequest.ApiKey, TRequest.LowestSupportedVersion, TRequest.HighestSupportedVersion), range);
        Assert.Equal(new ApiVersionRange(TResponse.ApiKey, TResponse.LowestSupportedVersion, TResponse.HighestSupportedVersion), range);
    }
}
