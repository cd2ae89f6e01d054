using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Kafka.Protocol.Tests.Messages;

/// <summary>The group and admin messages agree with <see cref="FlexibleVersions"/> on where the flexible encoding starts.</summary>
public class GroupAndAdminMessageVersionTests
{
    [Fact]
    public void FirstFlexibleVersion_EveryGroupAndAdminMessage_MatchesFlexibleVersions()
    {
        (ApiKeys Api, short Request, short Response)[] cases =
        [
            (JoinGroupRequest.ApiKey, JoinGroupRequest.FirstFlexibleVersion, JoinGroupResponse.FirstFlexibleVersion),
            (SyncGroupRequest.ApiKey, SyncGroupRequest.FirstFlexibleVersion, SyncGroupResponse.FirstFlexibleVersion),
            (HeartbeatRequest.ApiKey, HeartbeatRequest.FirstFlexibleVersion, HeartbeatResponse.FirstFlexibleVersion),
            (LeaveGroupRequest.ApiKey, LeaveGroupRequest.FirstFlexibleVersion, LeaveGroupResponse.FirstFlexibleVersion),
            (OffsetCommitRequest.ApiKey, OffsetCommitRequest.FirstFlexibleVersion, OffsetCommitResponse.FirstFlexibleVersion),
            (OffsetFetchRequest.ApiKey, OffsetFetchRequest.FirstFlexibleVersion, OffsetFetchResponse.FirstFlexibleVersion),
            (DescribeGroupsRequest.ApiKey, DescribeGroupsRequest.FirstFlexibleVersion, DescribeGroupsResponse.FirstFlexibleVersion),
            (ListGroupsRequest.ApiKey, ListGroupsRequest.FirstFlexibleVersion, ListGroupsResponse.FirstFlexibleVersion),
            (CreateTopicsRequest.ApiKey, CreateTopicsRequest.FirstFlexibleVersion, CreateTopicsResponse.FirstFlexibleVersion),
            (DeleteTopicsRequest.ApiKey, DeleteTopicsRequest.FirstFlexibleVersion, DeleteTopicsResponse.FirstFlexibleVersion),
            (CreatePartitionsRequest.ApiKey, CreatePartitionsRequest.FirstFlexibleVersion, CreatePartitionsResponse.FirstFlexibleVersion),
            (DescribeConfigsRequest.ApiKey, DescribeConfigsRequest.FirstFlexibleVersion, DescribeConfigsResponse.FirstFlexibleVersion),
        ];

        foreach (var (api, request, response) in cases)
        {
            Assert.Equal(FlexibleVersions.FirstFlexibleVersion(api), request);
            Assert.Equal(FlexibleVersions.FirstFlexibleVersion(api), response);
        }
    }
}
