using System.Buffers.Binary;
using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Framing;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Streaming.Application.Membership;

namespace Freshet.Streaming.Tests.Application.Membership;

/// <summary>
/// The connection's refusals and faults, against fake brokers that answer exactly as each case needs (too few API
/// versions, the KIP-511 fallback, an oversized frame) and against closed ports.
/// </summary>
public sealed class KafkaConnectionTests
{
    private static readonly ApiVersionRange[] AllGroupApis =
    [
        new(ApiKeys.FindCoordinator, 0, 4),
        new(ApiKeys.JoinGroup, 0, 9),
        new(ApiKeys.Heartbeat, 0, 4),
        new(ApiKeys.LeaveGroup, 0, 5),
        new(ApiKeys.SyncGroup, 0, 5),
        new(ApiKeys.ApiVersions, 0, 3),
    ];

    [Fact]
    public async Task StartAsync_BrokerWithoutJoinGroup_FailsNamingTheApiAndTheVersions()
    {
        await using var server = new FakeKafkaServer(header => AnswerApiVersions(header, AllGroupApis.Where(r => r.ApiKey != ApiKeys.JoinGroup)));
        await using var member = new GroupMember(Options(server.BootstrapServers), new RecordingGroupListener("a"));

        var failure = await Assert.ThrowsAsync<UnsupportedBrokerVersionException>(() => member.StartAsync(CancellationToken.None).WaitAsync(Poll.Deadline));

        var mismatch = Assert.Single(failure.Mismatches);
        Assert.Equal(ApiKeys.JoinGroup, mismatch.ApiKey);
        Assert.Null(mismatch.Offered);
        Assert.Contains($"The broker at {server.BootstrapServers}", failure.Message);
        Assert.Contains("JoinGroup: the broker does not offer it, Freshet needs versions 1-5", failure.Message);
    }

    [Fact]
    public async Task StartAsync_StaticMemberAndBrokerTooOldForInstanceIds_FailsNamingEveryApiThatDoesNotFit()
    {
        ApiVersionRange[] old = [new(ApiKeys.FindCoordinator, 0, 2), new(ApiKeys.JoinGroup, 0, 4), new(ApiKeys.Heartbeat, 0, 2), new(ApiKeys.LeaveGroup, 0, 2), new(ApiKeys.SyncGroup, 0, 2), new(ApiKeys.ApiVersions, 0, 3)];
        await using var server = new FakeKafkaServer(header => AnswerApiVersions(header, old));
        await using var member = new GroupMember(Options(server.BootstrapServers) with { GroupInstanceId = "static-1" }, new RecordingGroupListener("a"));

        var failure = await Assert.ThrowsAsync<UnsupportedBrokerVersionException>(() => member.StartAsync(CancellationToken.None).WaitAsync(Poll.Deadline));

        Assert.Equal([ApiKeys.JoinGroup, ApiKeys.SyncGroup, ApiKeys.Heartbeat, ApiKeys.LeaveGroup], failure.Mismatches.Select(m => m.ApiKey));
        Assert.Contains("JoinGroup: the broker offers versions 0-4, Freshet needs 5-5", failure.Message);
        Assert.Contains("SyncGroup: the broker offers versions 0-2, Freshet needs 3-3", failure.Message);
    }

    [Fact]
    public async Task ConnectAsync_ChoosesTheHighestVersionBothSidesSupport()
    {
        ApiVersionRange[] ranges = [new(ApiKeys.FindCoordinator, 0, 1), new(ApiKeys.JoinGroup, 2, 9), new(ApiKeys.Heartbeat, 0, 4), new(ApiKeys.LeaveGroup, 0, 5), new(ApiKeys.SyncGroup, 0, 5), new(ApiKeys.ApiVersions, 0, 3)];
        await using var server = new FakeKafkaServer(header => AnswerApiVersions(header, ranges));

        await using var connection = await KafkaConnection.ConnectAsync(Address(server), GroupMemberApis.Needed(isStatic: false), new KafkaConnectionOptions(), CancellationToken.None);

        Assert.Equal(1, connection.Versions.VersionOf(ApiKeys.FindCoordinator));
        Assert.Equal(5, connection.Versions.VersionOf(ApiKeys.JoinGroup));
        Assert.Equal(3, connection.Versions.VersionOf(ApiKeys.Heartbeat));
        Assert.Equal(3, connection.Versions.VersionOf(ApiKeys.SyncGroup));
    }

    [Fact]
    public async Task ConnectAsync_BrokerKnowsOnlyAnOlderApiVersions_RetriesAtItsVersion()
    {
        ApiVersionRange[] ranges = [.. AllGroupApis.Where(r => r.ApiKey != ApiKeys.ApiVersions), new(ApiKeys.ApiVersions, 0, 2)];
        await using var server = new FakeKafkaServer(header => header.ApiVersion > 2
            ? FakeKafkaServer.Response(header, new ApiVersionsResponse { ErrorCode = KafkaErrorCode.UnsupportedVersion, ApiKeys = Keys(ranges) }, version: 0)
            : AnswerApiVersions(header, ranges));

        await using var connection = await KafkaConnection.ConnectAsync(Address(server), GroupMemberApis.Needed(isStatic: false), new KafkaConnectionOptions(), CancellationToken.None);

        Assert.Equal([(short)3, (short)2], server.Requests.Select(r => r.ApiVersion));
        Assert.Equal(5, connection.Versions.VersionOf(ApiKeys.JoinGroup));
    }

    [Fact]
    public async Task ConnectAsync_ResponseLargerThanTheLimit_FailsBeforeReadingItAndCloses()
    {
        await using var server = new FakeKafkaServer(header =>
        {
            var frame = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(frame, int.MaxValue);
            BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), header.CorrelationId);
            return frame;
        });

        var failure = await Assert.ThrowsAsync<KafkaConnectionException>(() =>
            KafkaConnection.ConnectAsync(Address(server), GroupMemberApis.Needed(isStatic: false), new KafkaConnectionOptions { MaxResponseBytes = 1024 * 1024 }, CancellationToken.None).WaitAsync(Poll.Deadline));

        Assert.Contains($"{int.MaxValue} bytes; the limit is {1024 * 1024} bytes", failure.Message);
    }

    [Fact]
    public async Task ConnectAsync_BrokerThatNeverAnswers_FailsWhenTheConnectTimeoutRunsOut()
    {
        await using var server = new FakeKafkaServer(_ => null);

        var failure = await Assert.ThrowsAsync<KafkaConnectionException>(() =>
            KafkaConnection.ConnectAsync(Address(server), GroupMemberApis.Needed(isStatic: false), new KafkaConnectionOptions { ConnectTimeout = TimeSpan.FromMilliseconds(500) }, CancellationToken.None).WaitAsync(Poll.Deadline));

        Assert.Contains("did not answer ApiVersions v3 within 0.5 s", failure.Message);
    }

    [Fact]
    public async Task ConnectAsync_CallerCancels_ThrowsOperationCanceledNotATimeout()
    {
        await using var server = new FakeKafkaServer(_ => null);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            KafkaConnection.ConnectAsync(Address(server), GroupMemberApis.Needed(isStatic: false), new KafkaConnectionOptions { ConnectTimeout = TimeSpan.FromSeconds(20) }, cancel.Token).WaitAsync(Poll.Deadline));
    }

    [Fact]
    public async Task SendAsync_WrongCorrelationId_FailsAndClosesTheConnection()
    {
        await using var server = new FakeKafkaServer(header => header.ApiKey == ApiKeys.ApiVersions
            ? AnswerApiVersions(header, AllGroupApis)
            : FakeKafkaServer.Response(new RequestHeader { CorrelationId = header.CorrelationId + 7, ApiVersion = header.ApiVersion }, new HeartbeatResponse(), header.ApiVersion));
        await using var connection = await KafkaConnection.ConnectAsync(Address(server), GroupMemberApis.Needed(isStatic: false), new KafkaConnectionOptions(), CancellationToken.None);

        var failure = await Assert.ThrowsAsync<KafkaConnectionException>(() =>
            connection.SendAsync<HeartbeatRequest, HeartbeatResponse>(new HeartbeatRequest { GroupId = "g", MemberId = "m" }, TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Contains("correlation id", failure.Message);
        Assert.False(connection.IsOpen);
    }

    [Fact]
    public async Task StartAsync_UnreachableBroker_FailsNamingIt()
    {
        var port = GroupMemberTests.ClosedPort();
        await using var member = new GroupMember(Options($"127.0.0.1:{port}"), new RecordingGroupListener("a"));

        var failure = await Assert.ThrowsAsync<KafkaConnectionException>(() => member.StartAsync(CancellationToken.None).WaitAsync(Poll.Deadline));

        Assert.Contains($"Could not connect to the broker at 127.0.0.1:{port}", failure.Message);
    }

    [Fact]
    public async Task StartAsync_NoBootstrapServerReachable_FailsNamingEach()
    {
        var first = GroupMemberTests.ClosedPort();
        var second = GroupMemberTests.ClosedPort();
        await using var member = new GroupMember(Options($"127.0.0.1:{first}, 127.0.0.1:{second}"), new RecordingGroupListener("a"));

        var failure = await Assert.ThrowsAsync<KafkaConnectionException>(() => member.StartAsync(CancellationToken.None).WaitAsync(Poll.Deadline));

        Assert.Contains("any of the 2 bootstrap servers", failure.Message);
        Assert.Contains($"127.0.0.1:{first}", failure.Message);
        Assert.Contains($"127.0.0.1:{second}", failure.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("localhost")]
    [InlineData("localhost:")]
    [InlineData(":9092")]
    [InlineData("localhost:0")]
    [InlineData("localhost:65536")]
    [InlineData("localhost:nine")]
    [InlineData("a:9092,,b:9092")]
    [InlineData("::1:9092")]
    public void Constructor_BadBootstrapServers_ThrowsArgumentExceptionNamingTheSetting(string servers)
    {
        var failure = Assert.Throws<ArgumentException>(() => new GroupMember(Options(servers), new RecordingGroupListener("a")));

        Assert.Equal("BootstrapServers", failure.ParamName);
        Assert.Contains("BootstrapServers", failure.Message);
    }

    [Fact]
    public void ParseList_GoodEntries_KeepsTheirOrder()
    {
        var addresses = BrokerAddress.ParseList(" kafka-1:9092 ,10.0.0.2:19092,[::1]:9093", "BootstrapServers");

        Assert.Equal([new BrokerAddress("kafka-1", 9092), new BrokerAddress("10.0.0.2", 19092), new BrokerAddress("::1", 9093)], addresses);
        Assert.Equal("[::1]:9093", addresses[2].ToString());
    }

    [Theory]
    [InlineData("with space")]
    [InlineData("slash/")]
    [InlineData("")]
    public void Constructor_BadGroupInstanceId_ThrowsArgumentException(string instanceId)
    {
        var failure = Assert.Throws<ArgumentException>(() => new GroupMember(Options("localhost:9092") with { GroupInstanceId = instanceId }, new RecordingGroupListener("a")));

        Assert.Equal("GroupInstanceId", failure.ParamName);
    }

    [Fact]
    public void Constructor_HeartbeatAboveAThirdOfTheSession_ThrowsArgumentException()
    {
        var failure = Assert.Throws<ArgumentException>(() => new GroupMember(Options("localhost:9092") with { SessionTimeout = TimeSpan.FromSeconds(3), HeartbeatInterval = TimeSpan.FromMilliseconds(1001) }, new RecordingGroupListener("a")));

        Assert.Equal("HeartbeatInterval", failure.ParamName);
    }

    private static GroupMemberOptions Options(string bootstrap) => new()
    {
        GroupId = "versions",
        BootstrapServers = bootstrap,
        SessionTimeout = TimeSpan.FromSeconds(3),
        HeartbeatInterval = TimeSpan.FromMilliseconds(300),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    private static BrokerAddress Address(FakeKafkaServer server) => new("127.0.0.1", server.Port);

    private static byte[]? AnswerApiVersions(RequestHeader header, IEnumerable<ApiVersionRange> ranges) =>
        header.ApiKey == ApiKeys.ApiVersions
            ? FakeKafkaServer.Response(header, new ApiVersionsResponse { ApiKeys = Keys(ranges) })
            : null;

    private static ApiVersionsResponseKey[] Keys(IEnumerable<ApiVersionRange> ranges) =>
        ranges.Select(r => new ApiVersionsResponseKey { ApiKey = (short)r.ApiKey, MinVersion = r.MinVersion, MaxVersion = r.MaxVersion }).ToArray();
}
