using System.Diagnostics;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests;

/// <summary>Fetch over raw sockets: every version, long polling, byte limits (KIP-74), offsets out of range.</summary>
public sealed class FetchTests
{
    [Fact]
    public async Task Fetch_EveryVersion_StoredBytesAndPositions()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        var batch = Requests.Batch(5);
        harness.Store.GetPartition("t", 0).Append(batch);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        for (short version = 4; version <= 12; version++)
        {
            var request = Requests.Fetch("t", 2);
            request.IsolationLevel = (sbyte)(version % 2);
            var response = await client.RoundTripAsync<FetchRequest, FetchResponse>(request, version);

            var partition = response.Responses.Single().Partitions.Single();
            Assert.Equal(0, partition.ErrorCode);
            Assert.Equal(5, partition.HighWatermark);
            Assert.Equal(5, partition.LastStableOffset);
            Assert.Equal(version >= 5 ? 0 : -1, partition.LogStartOffset);
            Assert.Equal(0, response.SessionId);

            // Whole stored batch, byte for byte, apart from the offset (already 0 here) and the leader epoch (0) the log assigned.
            var expected = batch.ToArray();
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(expected.AsSpan(Freshet.Log.Records.RecordBatchHeader.PartitionLeaderEpochOffset), 0);
            Assert.Equal(expected, partition.Records!.Value.ToArray());
        }
    }

    [Fact]
    public async Task Fetch_AtLogEnd_WaitsForProduceThenAnswers()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        using var fetcher = await RawKafkaClient.ConnectAsync(harness.Broker);
        using var producer = await RawKafkaClient.ConnectAsync(harness.Broker);

        var stopwatch = Stopwatch.StartNew();
        await fetcher.SendAsync(Requests.Fetch("t", 0, maxWaitMs: 10_000), 12);
        var receive = fetcher.ReceiveAsync<FetchResponse>(12);
        await Task.Delay(300);
        Assert.False(receive.IsCompleted);
        await producer.RoundTripAsync<ProduceRequest, ProduceResponse>(Requests.Produce("t", Requests.Batch(3, "late")), 9);
        var (_, response) = await receive;
        stopwatch.Stop();

        Assert.Equal(["late0", "late1", "late2"], Requests.Values(response.Responses[0].Partitions[0].Records!.Value));
        Assert.InRange(stopwatch.ElapsedMilliseconds, 250, 5_000);
    }

    [Fact]
    public async Task Fetch_NothingArrives_AnswersEmptyAfterMaxWait()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var stopwatch = Stopwatch.StartNew();
        var response = await client.RoundTripAsync<FetchRequest, FetchResponse>(Requests.Fetch("t", 0, maxWaitMs: 400), 11);
        stopwatch.Stop();

        Assert.True(response.Responses[0].Partitions[0].Records!.Value.IsEmpty);
        Assert.InRange(stopwatch.ElapsedMilliseconds, 350, 5_000);
    }

    [Fact]
    public async Task Fetch_MinBytesNotReached_WaitsForMoreAppends()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        var partition = harness.Store.GetPartition("t", 0);
        var small = Requests.Batch(1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        using var producer = await RawKafkaClient.ConnectAsync(harness.Broker);

        await client.SendAsync(Requests.Fetch("t", 0, maxWaitMs: 10_000, minBytes: small.Length * 3), 12);
        var receive = client.ReceiveAsync<FetchResponse>(12);
        for (var i = 0; i < 2; i++)
        {
            await producer.RoundTripAsync<ProduceRequest, ProduceResponse>(Requests.Produce("t", small), 9);
            await Task.Delay(100);
            Assert.False(receive.IsCompleted);
        }

        await producer.RoundTripAsync<ProduceRequest, ProduceResponse>(Requests.Produce("t", small), 9);
        var (_, response) = await receive;

        Assert.Equal(3, Requests.Values(response.Responses[0].Partitions[0].Records!.Value).Count);
        Assert.Equal(3, partition.LogEndOffset);
    }

    [Fact]
    public async Task Fetch_FirstBatchLargerThanLimits_StillReturnedWhole()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 2);
        var big = Requests.Batch(50, new string('b', 200));
        harness.Store.GetPartition("t", 0).Append(big);
        harness.Store.GetPartition("t", 1).Append(big);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        var request = new FetchRequest
        {
            MaxBytes = 100,
            MinBytes = 1,
            Topics = [new FetchTopic { Topic = "t", Partitions = [new FetchPartition { Partition = 0, PartitionMaxBytes = 100 }, new FetchPartition { Partition = 1, PartitionMaxBytes = 100 }] }],
        };

        var response = await client.RoundTripAsync<FetchRequest, FetchResponse>(request, 12);

        // KIP-74: the first partition's first batch goes out whole; the second partition waits its turn.
        Assert.Equal(big.Length, response.Responses[0].Partitions[0].Records!.Value.Length);
        Assert.True(response.Responses[0].Partitions[1].Records!.Value.IsEmpty);
        Assert.Equal(0, response.Responses[0].Partitions[1].ErrorCode);
    }

    [Fact]
    public async Task Fetch_PartitionMaxBytes_WholeBatchesWithinTheLimit()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        var batch = Requests.Batch(2);
        var partition = harness.Store.GetPartition("t", 0);
        for (var i = 0; i < 10; i++)
        {
            partition.Append(batch);
        }

        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        var response = await client.RoundTripAsync<FetchRequest, FetchResponse>(Requests.Fetch("t", 0, partitionMaxBytes: (batch.Length * 3) + 10), 12);

        Assert.Equal(batch.Length * 3, response.Responses[0].Partitions[0].Records!.Value.Length);
    }

    [Fact]
    public async Task Fetch_OffsetOutOfRangeAndUnknownPartition_ErrorsWithoutWaiting()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        harness.Store.GetPartition("t", 0).Append(Requests.Batch(2));
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var stopwatch = Stopwatch.StartNew();
        var beyond = await client.RoundTripAsync<FetchRequest, FetchResponse>(Requests.Fetch("t", 3, maxWaitMs: 5_000), 12);
        var unknown = await client.RoundTripAsync<FetchRequest, FetchResponse>(Requests.Fetch("t", 0, maxWaitMs: 5_000, partition: 9), 12);
        stopwatch.Stop();

        Assert.Equal((1, 2L), (beyond.Responses[0].Partitions[0].ErrorCode, beyond.Responses[0].Partitions[0].HighWatermark));
        Assert.Equal(3, unknown.Responses[0].Partitions[0].ErrorCode);
        Assert.True(stopwatch.ElapsedMilliseconds < 4_000);
    }

    [Fact]
    public async Task Fetch_NonZeroSessionId_FetchSessionIdNotFound()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        var request = Requests.Fetch("t", 0);
        request.SessionId = 12345;
        request.SessionEpoch = 1;

        var response = await client.RoundTripAsync<FetchRequest, FetchResponse>(request, 12);

        Assert.Equal(70, response.ErrorCode);
    }
}
