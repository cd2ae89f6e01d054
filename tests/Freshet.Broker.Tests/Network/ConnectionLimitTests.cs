using System.Net.Sockets;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests.Network;

/// <summary>connections.max.idle.ms and queued.max.request.bytes, through real sockets.</summary>
public sealed class ConnectionLimitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task IdleConnections_FullyIdleOrStuckMidFrame_AreClosedAfterConnectionsMaxIdleMs()
    {
        await using var harness = await BrokerHarness.StartAsync(new BrokerOptions { ConnectionsMaxIdleMs = 300 });
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < 210; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await socket.ConnectAsync("127.0.0.1", harness.Broker.Port);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
                {
                    // On a busy machine the broker may accept and close it as idle before the connect returns: the same outcome.
                    socket.Dispose();
                    continue;
                }

                if (i < 200)
                {
                    try
                    {
                        await socket.SendAsync(new byte[] { 0 }); // the first byte of a size prefix, and nothing more
                    }
                    catch (SocketException)
                    {
                        // On a busy machine the broker may already have closed it as idle before the byte: the same outcome.
                    }
                }

                sockets.Add(socket);
            }

            Assert.True(sockets.Count > 100, $"only {sockets.Count} of 210 connections opened");
            foreach (var socket in sockets)
            {
                Assert.True(await IsClosedByPeerAsync(socket), "the broker kept an idle connection open");
            }

            await WaitUntilAsync(() => harness.Broker.ConnectionCount == 0);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task LongPoll_LongerThanConnectionsMaxIdleMs_IsAnsweredNotClosed()
    {
        // The idle time leaves room for the request to reach the broker on a busy machine; the poll is three times longer.
        await using var harness = await BrokerHarness.StartAsync(new BrokerOptions { ConnectionsMaxIdleMs = 1000 });
        harness.Store.CreateTopic("t", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        await client.SendAsync(Requests.Fetch("t", 0, maxWaitMs: 3000), 12, correlationId: 7);

        Assert.Equal(7, (await client.ReceiveAsync<FetchResponse>(12)).CorrelationId);
    }

    [Fact]
    public async Task Requests_WhenQueuedMaxRequestBytesIsUsedUp_WaitUntilEarlierOnesAreHandled()
    {
        const int budget = 64 * 1024;
        await using var harness = await BrokerHarness.StartAsync(new BrokerOptions { MaxFrameBytes = budget, QueuedMaxRequestBytes = budget });
        harness.Store.CreateTopic("t", 1);
        using var first = await RawKafkaClient.ConnectAsync(harness.Broker);
        using var second = await RawKafkaClient.ConnectAsync(harness.Broker);
        using var third = await RawKafkaClient.ConnectAsync(harness.Broker);
        var large = first.Encode(Requests.Produce("t", Requests.Batch(1, new string('x', 60 * 1024))), 9, correlationId: 1);
        var alsoLarge = second.Encode(Requests.Produce("t", Requests.Batch(1, new string('y', 60 * 1024))), 9, correlationId: 2);

        // Two frames of 60 KiB, each sent but for its last byte: the first leaves 4 KiB free, so the second is
        // admitted too (as Kafka's pool does), and then nothing is free.
        await first.SendRawAsync(large[..^1]);
        await WaitUntilAsync(() => harness.Broker.RequestBudget.InUse > 0);
        await second.SendRawAsync(alsoLarge[..^1]);
        await WaitUntilAsync(() => harness.Broker.RequestBudget.InUse > budget);

        await third.SendAsync(new ApiVersionsRequest(), 3, correlationId: 3);
        await WaitUntilAsync(() => harness.Broker.RequestBudget.WaitingCount == 1);
        var waiting = third.ReceiveAsync<ApiVersionsResponse>(3);
        Assert.False(waiting.IsCompleted);

        await first.SendRawAsync(large[^1..]);
        Assert.Equal(1, (await first.ReceiveAsync<ProduceResponse>(9)).CorrelationId);
        Assert.Equal(3, (await waiting).CorrelationId);

        await second.SendRawAsync(alsoLarge[^1..]);
        Assert.Equal(2, (await second.ReceiveAsync<ProduceResponse>(9)).CorrelationId);
        await WaitUntilAsync(() => harness.Broker.RequestBudget.InUse == 0);
        Assert.Equal(2, harness.Store.GetPartition("t", 0).LogEndOffset);
    }

    private static async Task<bool> IsClosedByPeerAsync(Socket socket)
    {
        using var deadline = new CancellationTokenSource(Patience);
        var buffer = new byte[64];
        try
        {
            while (true)
            {
                if (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException)
        {
            return true; // reset
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(10);
        }
    }
}
