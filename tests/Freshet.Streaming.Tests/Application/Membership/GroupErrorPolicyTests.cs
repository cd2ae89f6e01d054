using Freshet.Streaming.Application.Membership;

namespace Freshet.Streaming.Tests.Application.Membership;

/// <summary>The error handling of the classic group protocol as Kafka's clients do it, and the backoff between retries.</summary>
public sealed class GroupErrorPolicyTests
{
    [Theory]
    [InlineData(KafkaErrorCode.None, nameof(GroupErrorAction.None))]
    [InlineData(KafkaErrorCode.RebalanceInProgress, nameof(GroupErrorAction.Rejoin))]
    [InlineData(KafkaErrorCode.IllegalGeneration, nameof(GroupErrorAction.Rejoin))]
    [InlineData(KafkaErrorCode.MemberIdRequired, nameof(GroupErrorAction.Rejoin))]
    [InlineData(KafkaErrorCode.UnknownMemberId, nameof(GroupErrorAction.RejoinAsNewMember))]
    [InlineData(KafkaErrorCode.NotCoordinator, nameof(GroupErrorAction.FindCoordinator))]
    [InlineData(KafkaErrorCode.CoordinatorNotAvailable, nameof(GroupErrorAction.FindCoordinator))]
    [InlineData(KafkaErrorCode.CoordinatorLoadInProgress, nameof(GroupErrorAction.FindCoordinator))]
    [InlineData(KafkaErrorCode.UnknownServerError, nameof(GroupErrorAction.FindCoordinator))]
    [InlineData(KafkaErrorCode.FencedInstanceId, nameof(GroupErrorAction.Fatal))]
    [InlineData(KafkaErrorCode.InconsistentGroupProtocol, nameof(GroupErrorAction.Fatal))]
    [InlineData(KafkaErrorCode.InvalidSessionTimeout, nameof(GroupErrorAction.Fatal))]
    [InlineData(KafkaErrorCode.GroupAuthorizationFailed, nameof(GroupErrorAction.Fatal))]
    [InlineData(KafkaErrorCode.GroupMaxSizeReached, nameof(GroupErrorAction.Fatal))]
    [InlineData((short)999, nameof(GroupErrorAction.Fatal))]
    public void Classify_ErrorCode_GivesKafkasAction(short errorCode, string expected) =>
        Assert.Equal(expected, GroupErrorPolicy.Classify(errorCode).ToString());

    [Fact]
    public void FatalMessage_InconsistentGroupProtocol_NamesTheGroupAndTheProtocol()
    {
        var options = new GroupMemberOptions { GroupId = "orders", BootstrapServers = "localhost:9092" };

        var message = GroupErrorPolicy.FatalMessage(KafkaErrorCode.InconsistentGroupProtocol, "JoinGroup", options);

        Assert.Contains("\"orders\"", message);
        Assert.Contains("\"freshet\"/\"freshet-tasks\"", message);
        Assert.Contains("INCONSISTENT_GROUP_PROTOCOL (23)", message);
    }

    [Fact]
    public void ExponentialBackoff_DoublesUpToTheCapWithinTheJitterAndStartsOverAfterReset()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        double[] expected = [100, 200, 400, 800, 1000, 1000];
        foreach (var milliseconds in expected)
        {
            var wait = backoff.Next().TotalMilliseconds;
            Assert.InRange(wait, milliseconds * 0.8, milliseconds * 1.2);
        }

        backoff.Reset();
        Assert.InRange(backoff.Next().TotalMilliseconds, 80, 120);
    }
}
