using System.Buffers.Binary;
using Confluent.Kafka;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests;

/// <summary>
/// Bad bytes over real sockets: each closes its own connection (or gets error 35 for ApiVersions), the
/// broker keeps serving other clients, and records acknowledged before are intact.
/// </summary>
public sealed class BadInputTests
{
    private static async Task<BrokerHarness> StartWithRecordsAsync()
    {
        var harness = await BrokerHarness.StartAsync(new BrokerOptions { MaxFrameBytes = 1 << 20 });
        harness.Store.CreateTopic("safe", 1);
        using var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig()).Build();
        for (var i = 0; i < 50; i++)
        {
            producer.Produce("safe", new Message<Null, string> { Value = "before-" + i });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
        return harness;
    }

    private static async Task AssertStillServingAsync(BrokerHarness harness)
    {
        using (var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig()).Build())
        {
            var delivery = await producer.ProduceAsync("safe", new Message<Null, string> { Value = "after" });
            Assert.Equal(50, delivery.Offset.Value);
        }

        var consumed = harness.ConsumeFromBeginning("safe", 51);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => "before-" + i).Append("after"), consumed.Select(r => System.Text.Encoding.UTF8.GetString(r.Message.Value!)));
    }

    private static byte[] Frame(int size, byte[] payload)
    {
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, size);
        payload.CopyTo(frame, 4);
        return frame;
    }

    [Fact]
    public async Task Frame_LargerThanMaximum_ConnectionClosedOthersUnaffected()
    {
        await using var harness = await StartWithRecordsAsync();
        using var bystander = await RawKafkaClient.ConnectAsync(harness.Broker);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        await client.SendRawAsync(Frame((1 << 20) + 1, new byte[16]));

        Assert.True(await client.IsClosedByBrokerAsync(TimeSpan.FromSeconds(5)));
        var metadata = await bystander.RoundTripAsync<MetadataRequest, MetadataResponse>(Requests.Metadata("safe"), 12);
        Assert.Equal(0, metadata.Topics[0].ErrorCode);
        await AssertStillServingAsync(harness);
    }

    [Fact]
    public async Task Frame_NegativeSize_ConnectionClosed()
    {
        await using var harness = await StartWithRecordsAsync();
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        await client.SendRawAsync(Frame(-5, new byte[8]));

        Assert.True(await client.IsClosedByBrokerAsync(TimeSpan.FromSeconds(5)));
        await AssertStillServingAsync(harness);
    }

    [Fact]
    public async Task Frame_GarbageBody_ConnectionClosedAndLogUnchanged()
    {
        await using var harness = await StartWithRecordsAsync();
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        // A valid Produce header followed by a body whose topic array claims more elements than there are bytes.
        var valid = client.Encode(Requests.Produce("safe", Requests.Batch(2)), 9);
        var truncated = valid.AsSpan(0, valid.Length - 30).ToArray();
        BinaryPrimitives.WriteInt32BigEndian(truncated, truncated.Length - 4);
        await client.SendRawAsync(truncated);

        Assert.True(await client.IsClosedByBrokerAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(50, harness.Store.GetPartition("safe", 0).LogEndOffset);
        await AssertStillServingAsync(harness);
    }

    [Fact]
    public async Task Frame_RandomBytes_ConnectionClosedEveryTime()
    {
        await using var harness = await StartWithRecordsAsync();
        var random = new Random(42);
        for (var i = 0; i < 30; i++)
        {
            using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
            var payload = new byte[random.Next(0, 200)];
            random.NextBytes(payload);
            await client.SendRawAsync(Frame(payload.Length, payload));

            // The broker either closes, or answers and waits for more; it must never crash.
            await client.IsClosedByBrokerAsync(TimeSpan.FromMilliseconds(200));
        }

        Assert.Equal(50, harness.Store.GetPartition("safe", 0).LogEndOffset);
        await AssertStillServingAsync(harness);
    }

    [Fact]
    public async Task Request_UnknownApiKey_ConnectionClosed()
    {
        await using var harness = await StartWithRecordsAsync();
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        // Header v1: api key 999, version 0, correlation id 1, client id null.
        await client.SendRawAsync(Frame(10, [0x03, 0xE7, 0, 0, 0, 0, 0, 1, 0xFF, 0xFF]));

        Assert.True(await client.IsClosedByBrokerAsync(TimeSpan.FromSeconds(5)));
        await AssertStillServingAsync(harness);
    }

    [Fact]
    public async Task Request_UnsupportedVersionOfProduce_ConnectionClosed()
    {
        await using var harness = await StartWithRecordsAsync();
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        // Produce v2 is below the supported range: header v1, then an arbitrary body.
        await client.SendRawAsync(Frame(14, [0, 0, 0, 2, 0, 0, 0, 1, 0xFF, 0xFF, 0, 1, 0, 0]));

        Assert.True(await client.IsClosedByBrokerAsync(TimeSpan.FromSeconds(5)));
        await AssertStillServingAsync(harness);
    }

    [Fact]
    public async Task ApiVersions_UnsupportedVersion_Error35WithSupportedListInV0Body()
    {
        await using var harness = await StartWithRecordsAsync();
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        // ApiVersions v9 (flexible, so request header v2): key 18, version 9, correlation 77, null client id, no tags.
        await client.SendRawAsync(Frame(11, [0, 18, 0, 9, 0, 0, 0, 77, 0xFF, 0xFF, 0]));
        var (correlationId, response) = await client.ReceiveAsync<ApiVersionsResponse>(0, headerVersion: 0);

        Assert.Equal(77, correlationId);
        Assert.Equal(35, response.ErrorCode);
        Assert.Equal(SupportedApis.All.Select(r => ((short)r.ApiKey, r.MinVersion, r.MaxVersion)), response.ApiKeys.Select(k => (k.ApiKey, k.MinVersion, k.MaxVersion)));

        // The connection stays usable: a supported version is answered normally.
        var ok = await client.RoundTripAsync<ApiVersionsRequest, ApiVersionsResponse>(new ApiVersionsRequest { ClientSoftwareName = "raw", ClientSoftwareVersion = "1" }, 3);
        Assert.Equal(0, ok.ErrorCode);
    }

    [Fact]
    public async Task Frame_SplitAcrossManyWrites_StillDecoded()
    {
        await using var harness = await StartWithRecordsAsync();
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        var frame = client.Encode(Requests.Produce("safe", Requests.Batch(40, new string('x', 100))), 9);

        foreach (var chunk in frame.Chunk(7))
        {
            await client.SendRawAsync(chunk);
            await Task.Yield();
        }

        var (_, response) = await client.ReceiveAsync<ProduceResponse>(9);
        Assert.Equal((0, 50L), (response.Responses[0].PartitionResponses[0].ErrorCode, response.Responses[0].PartitionResponses[0].BaseOffset));
    }
}
