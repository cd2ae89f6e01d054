using System.Diagnostics;
using Freshet.Broker.Handlers;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests;

/// <summary>Connection behaviour: pipelining, response order, many connections, graceful shutdown, the dispatch table.</summary>
public sealed class ConnectionTests
{
    [Fact]
    public async Task Pipelined_ManyRequestsInOneWrite_ResponsesInRequestOrder()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        var frames = new List<byte>();
        for (var i = 0; i < 60; i++)
        {
            frames.AddRange((i % 3) switch
            {
                0 => client.Encode(Requests.Produce("t", Requests.Batch(1, "p" + i)), 9, correlationId: 1000 + i),
                1 => client.Encode(Requests.Fetch("t", 0), 12, correlationId: 1000 + i),
                _ => client.Encode(new ApiVersionsRequest(), 3, correlationId: 1000 + i),
            });
        }

        await client.SendRawAsync(frames.ToArray());

        for (var i = 0; i < 60; i++)
        {
            var correlationId = (i % 3) switch
            {
                0 => (await client.ReceiveAsync<ProduceResponse>(9)).CorrelationId,
                1 => (await client.ReceiveAsync<FetchResponse>(12)).CorrelationId,
                _ => (await client.ReceiveAsync<ApiVersionsResponse>(3)).CorrelationId,
            };
            Assert.Equal(1000 + i, correlationId);
        }

        Assert.Equal(20, harness.Store.GetPartition("t", 0).LogEndOffset);
    }

    [Fact]
    public async Task Pipelined_RequestBehindALongPoll_AnsweredAfterItInOrder()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        await client.SendRawAsync([
            .. client.Encode(new ApiVersionsRequest(), 3, correlationId: 1),
            .. client.Encode(Requests.Fetch("t", 0, maxWaitMs: 300), 12, correlationId: 2),
            .. client.Encode(new ApiVersionsRequest(), 3, correlationId: 3),
        ]);

        // The answer before the long poll is sent at once, not held back until the poll ends.
        var stopwatch = Stopwatch.StartNew();
        Assert.Equal(1, (await client.ReceiveAsync<ApiVersionsResponse>(3)).CorrelationId);
        Assert.True(stopwatch.ElapsedMilliseconds < 250, $"first answer took {stopwatch.ElapsedMilliseconds} ms");
        Assert.Equal(2, (await client.ReceiveAsync<FetchResponse>(12)).CorrelationId);
        Assert.Equal(3, (await client.ReceiveAsync<ApiVersionsResponse>(3)).CorrelationId);
    }

    [Fact]
    public async Task ManyConnections_ConcurrentProduce_AllStored()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async c =>
        {
            using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
            for (var i = 0; i < 10; i++)
            {
                var response = await client.RoundTripAsync<ProduceRequest, ProduceResponse>(Requests.Produce("t", Requests.Batch(2)), 8);
                Assert.Equal(0, response.Responses[0].PartitionResponses[0].ErrorCode);
            }
        }));

        Assert.Equal(400, harness.Store.GetPartition("t", 0).LogEndOffset);
    }

    [Fact]
    public async Task StopAsync_DuringLongPoll_AnswersThePollAndStopsQuickly()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        await client.SendAsync(Requests.Fetch("t", 0, maxWaitMs: 30_000), 12);
        var receive = client.ReceiveAsync<FetchResponse>(12);
        await Task.Delay(200);

        var stopwatch = Stopwatch.StartNew();
        await harness.Broker.StopAsync();
        stopwatch.Stop();

        var (_, response) = await receive;
        Assert.Equal(0, response.Responses[0].Partitions[0].ErrorCode);
        Assert.True(stopwatch.ElapsedMilliseconds < 3_000, $"stop took {stopwatch.ElapsedMilliseconds} ms");
        Assert.True(await client.IsClosedByBrokerAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ApiVersions_EveryVersion_AdvertisesExactlySupportedApis()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        for (short version = 0; version <= 3; version++)
        {
            var response = await client.RoundTripAsync<ApiVersionsRequest, ApiVersionsResponse>(new ApiVersionsRequest { ClientSoftwareName = "t", ClientSoftwareVersion = "1" }, version);

            Assert.Equal(0, response.ErrorCode);
            Assert.Equal(SupportedApis.All.Select(r => ((short)r.ApiKey, r.MinVersion, r.MaxVersion)), response.ApiKeys.Select(k => (k.ApiKey, k.MinVersion, k.MaxVersion)));
        }
    }

    [Fact]
    public void CreateDispatcher_EverySupportedApi_HasAHandler()
    {
        var directory = Path.Combine(Path.GetTempPath(), "freshet-broker-tests", Guid.NewGuid().ToString("N"));
        ApiDispatcher dispatcher;
        using (var store = Freshet.Log.LogStore.Open(directory, new Freshet.Log.LogStoreOptions { BackgroundMaintenance = false }))
        {
            var services = new BrokerServices(store, new BrokerOptions(), 9092, "cluster", Cluster.ProducerIdAllocator.Open(directory));
            dispatcher = KafkaBroker.CreateDispatcher(services);
        }

        Directory.Delete(directory, recursive: true);

        Assert.All(SupportedApis.All, range => Assert.True(dispatcher.HasHandler(range.ApiKey), $"{range.ApiKey} is advertised but has no handler"));
        Assert.Equal(SupportedApis.All, dispatcher.Advertised());
        Assert.False(dispatcher.TryGetHandler(ApiKeys.Produce, 2, out _));
        Assert.True(dispatcher.TryGetHandler(ApiKeys.Produce, 3, out var produce));
        Assert.IsType<ProduceHandler>(produce);
    }
}
