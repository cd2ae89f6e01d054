using Confluent.Kafka;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Freshet.Broker.Tests.Metrics;

/// <summary>
/// The broker's <c>Freshet.Broker</c> meter (docs/operations.md, "Metrics") read through OpenTelemetry's in-memory
/// exporter, against a real broker on 127.0.0.1 driven by librdkafka and by a raw client whose frames the test knows
/// byte for byte. Other tests' brokers share the process, so only points tagged with this test's broker port are read.
/// </summary>
public sealed class BrokerMetricsTests
{
    [Fact]
    public async Task ConfluentProduceAndConsume_CountsProduceAndFetchRequestsWithTheirBytes()
    {
        var exported = new List<MetricSnapshot>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter("Freshet.Broker").AddInMemoryExporter(exported).Build();
        await using var harness = await BrokerHarness.StartAsync();
        const int count = 50;
        const int valueBytes = 100;
        using (var producer = new ProducerBuilder<Null, byte[]>(harness.ProducerConfig()).Build())
        {
            for (var i = 0; i < count; i++)
            {
                producer.Produce("metered", new Message<Null, byte[]> { Value = new byte[valueBytes] });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(15)));
        }

        Assert.Equal(count, harness.ConsumeFromBeginning("metered", count).Count);

        provider.ForceFlush();
        var port = harness.Broker.Port;

        var produces = Sum(exported, "freshet.broker.requests", port, "Produce");
        Assert.InRange(produces, 1, count);
        Assert.True(Sum(exported, "freshet.broker.requests", port, "Fetch") >= 1);
        Assert.True(Sum(exported, "freshet.broker.requests", port, "Metadata") >= 1);
        Assert.True(Sum(exported, "freshet.broker.requests", port, "ApiVersions") >= 2);

        // Every request counted has its duration; the values were carried in and out.
        var produceDurations = Assert.Single(Points(exported, "freshet.broker.request.duration", port, "Produce"));
        Assert.Equal(produces, produceDurations.GetHistogramCount());
        Assert.Equal(0.0005, FirstBucketBound(produceDurations));
        Assert.True(Sum(exported, "freshet.broker.bytes.in", port, "Produce") >= count * valueBytes);
        Assert.True(Sum(exported, "freshet.broker.bytes.out", port, "Fetch") >= count * valueBytes);
        Assert.Empty(exported.LastOrDefault(m => m.Name == "freshet.broker.partition.errors")?.MetricPoints.Where(p => Tag(p, "server.port") == port.ToString()) ?? []);

        Assert.Equal("{request}", exported.Last(m => m.Name == "freshet.broker.requests").Unit);
        Assert.Equal("s", exported.Last(m => m.Name == "freshet.broker.request.duration").Unit);
    }

    [Fact]
    public async Task RawClient_RequestsAndBytesCountedExactly_ErrorsAndOpenConnectionsReported()
    {
        var exported = new List<MetricSnapshot>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter("Freshet.Broker").AddInMemoryExporter(exported).Build();
        await using var harness = await BrokerHarness.StartAsync(new BrokerOptions { AutoCreateTopics = false });
        var port = harness.Broker.Port;
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        long bytesIn = 0;
        long bytesOut = 0;
        for (var i = 0; i < 3; i++)
        {
            var request = client.Encode(new ApiVersionsRequest { ClientSoftwareName = "raw", ClientSoftwareVersion = "1" }, 3);
            await client.SendRawAsync(request);
            var response = await client.ReceiveFrameAsync();
            bytesIn += request.Length;
            bytesOut += 4 + response!.Length;
        }

        var produced = await client.RoundTripAsync<ProduceRequest, ProduceResponse>(Requests.Produce("missing", Requests.Batch(2)), 9);
        var produceError = produced.Responses[0].PartitionResponses[0].ErrorCode;
        Assert.NotEqual(0, produceError);
        var fetched = await client.RoundTripAsync<FetchRequest, FetchResponse>(Requests.Fetch("missing", 0), 11);
        var fetchError = fetched.Responses[0].Partitions[0].ErrorCode;
        Assert.NotEqual(0, fetchError);

        await WaitUntilAsync(() => harness.Broker.ConnectionCount == 1);
        provider.ForceFlush();

        Assert.Equal(3, Sum(exported, "freshet.broker.requests", port, "ApiVersions"));
        Assert.Equal(bytesIn, Sum(exported, "freshet.broker.bytes.in", port, "ApiVersions"));
        Assert.Equal(bytesOut, Sum(exported, "freshet.broker.bytes.out", port, "ApiVersions"));
        Assert.Equal(1, Sum(exported, "freshet.broker.requests", port, "Produce"));
        Assert.Equal(1, Sum(exported, "freshet.broker.requests", port, "Fetch"));

        var errors = exported.Last(m => m.Name == "freshet.broker.partition.errors").MetricPoints.Where(p => Tag(p, "server.port") == port.ToString()).ToList();
        Assert.Equal(1, Assert.Single(errors, p => Tag(p, "freshet.api.name") == "Produce" && Tag(p, "freshet.error.code") == produceError.ToString()).GetSumLong());
        Assert.Equal(1, Assert.Single(errors, p => Tag(p, "freshet.api.name") == "Fetch" && Tag(p, "freshet.error.code") == fetchError.ToString()).GetSumLong());

        var connections = Assert.Single(exported.Last(m => m.Name == "freshet.broker.connections").MetricPoints, p => Tag(p, "server.port") == port.ToString());
        Assert.Equal(1, connections.GetSumLong());
    }

    [Fact]
    public async Task CommittedGroupOffset_LagGaugeFollowsTheLogEndAtEachCollection()
    {
        var exported = new List<MetricSnapshot>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter(KafkaBroker.MeterName).AddInMemoryExporter(exported).Build();
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("lag-metered", 2);
        await ProduceAsync(harness, "lag-metered", 0, 10);
        using (var consumer = new ConsumerBuilder<byte[]?, byte[]?>(harness.ConsumerConfig(c => c.GroupId = "lag-group")).Build())
        {
            consumer.Commit([new TopicPartitionOffset("lag-metered", 0, 4), new TopicPartitionOffset("lag-metered", 1, 0)]);
        }

        provider.ForceFlush();
        Assert.Equal(6, Lag(exported, harness.Broker.Port, "lag-group", "lag-metered", "0"));
        Assert.Equal(0, Lag(exported, harness.Broker.Port, "lag-group", "lag-metered", "1"));
        Assert.Equal("{record}", exported.Last(m => m.Name == "freshet.consumer_group.lag").Unit);

        await ProduceAsync(harness, "lag-metered", 0, 5);
        await ProduceAsync(harness, "lag-metered", 1, 2);
        exported.Clear();
        provider.ForceFlush();

        Assert.Equal(11, Lag(exported, harness.Broker.Port, "lag-group", "lag-metered", "0"));
        Assert.Equal(2, Lag(exported, harness.Broker.Port, "lag-group", "lag-metered", "1"));
    }

    private static long Lag(List<MetricSnapshot> exported, int port, string group, string topic, string partition) =>
        Assert.Single(
            exported.Last(m => m.Name == "freshet.consumer_group.lag").MetricPoints,
            p => Tag(p, "server.port") == port.ToString() && Tag(p, "messaging.consumer.group.name") == group
                && Tag(p, "messaging.destination.name") == topic && Tag(p, "messaging.destination.partition.id") == partition)
            .GetGaugeLastValueLong();

    private static async Task ProduceAsync(BrokerHarness harness, string topic, int partition, int count)
    {
        using var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig()).Build();
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(new TopicPartition(topic, partition), new Message<Null, string> { Value = "v" + i });
        }
    }

    private static long Sum(List<MetricSnapshot> exported, string name, int port, string api) =>
        Assert.Single(Points(exported, name, port, api)).GetSumLong();

    private static List<MetricPoint> Points(List<MetricSnapshot> exported, string name, int port, string api) =>
        exported.Last(m => m.Name == name).MetricPoints.Where(p => Tag(p, "server.port") == port.ToString() && Tag(p, "freshet.api.name") == api).ToList();

    /// <summary>The upper bound of the histogram's first bucket: the instrument's advice, not the exporter's millisecond default.</summary>
    private static double FirstBucketBound(MetricPoint point)
    {
        foreach (var bucket in point.GetHistogramBuckets())
        {
            return bucket.ExplicitBound;
        }

        return double.NaN;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 30 s.");
            await Task.Delay(10);
        }
    }
}
