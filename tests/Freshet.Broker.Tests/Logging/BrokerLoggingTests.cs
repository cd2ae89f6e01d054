using System.Buffers.Binary;
using System.Globalization;
using Confluent.Kafka;
using Freshet.Broker.Groups;
using Freshet.Broker.Logging;
using Freshet.Broker.Tests.Groups;
using Freshet.Broker.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Tests.Logging;

/// <summary>
/// The broker's log events (docs/operations.md) from a real broker over TCP: connections opened and closed, a
/// malformed request and a refused frame; group rebalances from the coordinator; a transactional producer fenced by
/// its successor. Events are checked by id, level and structured values.
/// </summary>
public sealed class BrokerLoggingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task MalformedRequest_LogsItWithTheConnection_AndTheConnectionsOpeningAndClosing()
    {
        using var log = new RecordedLog();
        await using var harness = await BrokerHarness.StartAsync(new BrokerOptions { LoggerFactory = log.Factory });
        harness.Store.CreateTopic("safe", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        // A valid Produce header followed by a body cut short: its topic array claims more bytes than there are.
        var valid = client.Encode(Requests.Produce("safe", Requests.Batch(2)), 9);
        var truncated = valid.AsSpan(0, valid.Length - 30).ToArray();
        BinaryPrimitives.WriteInt32BigEndian(truncated, truncated.Length - 4);
        await client.SendRawAsync(truncated);
        Assert.True(await client.IsClosedByBrokerAsync(TimeSpan.FromSeconds(5)));

        var malformed = await log.WaitForAsync(2014, Wait);
        Assert.Equal(LogLevel.Warning, malformed.Level);
        Assert.Equal("MalformedRequest", malformed.Id.Name);
        Assert.Equal(BrokerLog.ConnectionsCategory, malformed.Category);
        Assert.StartsWith("127.0.0.1:", malformed.GetStructuredStateValue("Client"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(malformed.GetStructuredStateValue("Problem")));
        var connectionId = malformed.GetStructuredStateValue("ConnectionId");

        var opened = Assert.Single(log.Events(2010), e => e.GetStructuredStateValue("ConnectionId") == connectionId);
        Assert.Equal(LogLevel.Debug, opened.Level);
        Assert.Equal(malformed.GetStructuredStateValue("Client"), opened.GetStructuredStateValue("Client"));
        var closed = await log.WaitForAsync(2011, Wait);
        Assert.Equal(LogLevel.Debug, closed.Level);
        Assert.Equal(connectionId, closed.GetStructuredStateValue("ConnectionId"));
    }

    [Fact]
    public async Task FrameLargerThanTheMaximum_LogsTheRefusal()
    {
        using var log = new RecordedLog();
        await using var harness = await BrokerHarness.StartAsync(new BrokerOptions { MaxFrameBytes = 1 << 20, LoggerFactory = log.Factory });
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var frame = new byte[4 + 16];
        BinaryPrimitives.WriteInt32BigEndian(frame, (1 << 20) + 1);
        await client.SendRawAsync(frame);
        Assert.True(await client.IsClosedByBrokerAsync(TimeSpan.FromSeconds(5)));

        var refused = await log.WaitForAsync(2013, Wait);
        Assert.Equal(LogLevel.Warning, refused.Level);
        Assert.Contains(((1 << 20) + 1).ToString(CultureInfo.InvariantCulture), refused.GetStructuredStateValue("Problem"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokerStartAndStop_AreLogged()
    {
        using var log = new RecordedLog();
        var harness = await BrokerHarness.StartAsync(new BrokerOptions { LoggerFactory = log.Factory });
        var port = harness.Broker.Port;
        await harness.DisposeAsync();

        var started = Assert.Single(log.Events(2000));
        Assert.Equal(LogLevel.Information, started.Level);
        Assert.Equal($"PLAINTEXT://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", started.GetStructuredStateValue("Listeners"));
        Assert.Single(log.Events(2001));
    }

    [Fact]
    public async Task GroupRebalances_AreLoggedWithGenerationMembersAndReason()
    {
        using var log = new RecordedLog();
        var clock = new ManualClock();
        await using var coordinator = new GroupCoordinator(clock, initialRebalanceDelayMs: 0, runTicker: false, logger: log.Factory.CreateLogger(BrokerLog.GroupsCategory));

        var a = await coordinator.JoinGroupAsync(Join(""));
        await coordinator.SyncGroupAsync("g", a.MemberId, null, a.GenerationId, new Dictionary<string, byte[]> { [a.MemberId] = [7] });
        var pendingB = coordinator.JoinGroupAsync(Join(""));
        await coordinator.JoinGroupAsync(Join(a.MemberId));
        var b = await pendingB;

        var generations = log.Events(2021);
        Assert.Equal(2, generations.Count);
        Assert.Equal("1", generations[0].GetStructuredStateValue("Generation"));
        Assert.Equal("1", generations[0].GetStructuredStateValue("MemberCount"));
        Assert.Equal("2", generations[1].GetStructuredStateValue("Generation"));
        Assert.Equal("2", generations[1].GetStructuredStateValue("MemberCount"));
        Assert.Equal(a.MemberId, generations[1].GetStructuredStateValue("Leader"));
        Assert.Contains(b.MemberId, generations[1].GetStructuredStateValue("Members"), StringComparison.Ordinal);

        var rebalancing = log.Events(2020);
        var second = Assert.Single(rebalancing, e => e.GetStructuredStateValue("Generation") == "1");
        Assert.Equal(LogLevel.Information, second.Level);
        Assert.Equal("g", second.GetStructuredStateValue("GroupId"));
        Assert.Equal("a member joined", second.GetStructuredStateValue("Reason"));

        // B's session runs out: it is removed, and the group rebalances without it.
        clock.Advance(6_000);
        coordinator.Heartbeat("g", a.MemberId, null, b.GenerationId);
        clock.Advance(5_000);
        coordinator.Tick();
        var removed = Assert.Single(log.Events(2022), e => e.GetStructuredStateValue("MemberId") == b.MemberId);
        Assert.Contains("session", removed.GetStructuredStateValue("Reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondProducerWithTheSameTransactionalId_LogsTheEpochBumpAndTheFencedProducersRefusal()
    {
        using var log = new RecordedLog();
        await using var harness = await BrokerHarness.StartAsync(new BrokerOptions { LoggerFactory = log.Factory });
        harness.Store.CreateTopic("fence", 1);
        var timeout = TimeSpan.FromSeconds(20);
        using var zombie = TransactionalProducer(harness, "fenced-id");
        zombie.InitTransactions(timeout);
        zombie.BeginTransaction();
        zombie.Produce("fence", new Message<byte[]?, byte[]?> { Value = "before"u8.ToArray() });
        Assert.Equal(0, zombie.Flush(timeout));

        using var successor = TransactionalProducer(harness, "fenced-id");
        successor.InitTransactions(timeout);
        Assert.ThrowsAny<KafkaException>(() =>
        {
            zombie.Produce("fence", new Message<byte[]?, byte[]?> { Value = "late"u8.ToArray() });
            zombie.CommitTransaction(timeout);
        });

        var bumped = Assert.Single(log.Events(2030));
        Assert.Equal(LogLevel.Information, bumped.Level);
        Assert.Equal("fenced-id", bumped.GetStructuredStateValue("TransactionalId"));
        Assert.Equal("1", bumped.GetStructuredStateValue("ProducerEpoch"));
        var refused = await log.WaitForAsync(2031, Wait);
        Assert.Equal(LogLevel.Warning, refused.Level);
        Assert.Equal(BrokerLog.TransactionsCategory, refused.Category);
    }

    private static JoinGroupRequestData Join(string memberId) =>
        new("g", memberId, null, "client", "/127.0.0.1", 10_000, 30_000, "consumer", [new MemberProtocol("range", [1])], false);

    private static IProducer<byte[]?, byte[]?> TransactionalProducer(BrokerHarness harness, string transactionalId) =>
        new ProducerBuilder<byte[]?, byte[]?>(harness.ProducerConfig(c =>
        {
            c.TransactionalId = transactionalId;
            c.TransactionTimeoutMs = 60_000;
        })).Build();
}
