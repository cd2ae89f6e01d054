using System.Buffers.Binary;
using Confluent.Kafka;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log.Records;

namespace Freshet.Broker.Tests;

/// <summary>
/// Leader epochs on a single node (KIP-320): every partition's epoch is 0, stamped into stored batches,
/// reported by Metadata and ListOffsets, fenced in Fetch and ListOffsets, and answered by
/// OffsetForLeaderEpoch; librdkafka consumers validate their positions with it.
/// </summary>
public sealed class LeaderEpochTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task OffsetForLeaderEpoch_Raw_EpochZeroEndsAtLogEndOthersAsKafka()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("epochs", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        await client.RoundTripAsync<ProduceRequest, ProduceResponse>(Requests.Produce("epochs", Requests.Batch(5)), 9);

        OffsetForLeaderPartition Ask(int epoch, int current = -1, int partition = 0) => new() { Partition = partition, LeaderEpoch = epoch, CurrentLeaderEpoch = current };
        var request = new OffsetForLeaderEpochRequest
        {
            ReplicaId = -1,
            Topics =
            [
                new OffsetForLeaderTopic { Topic = "epochs", Partitions = [Ask(0), Ask(0, current: 0), Ask(3), Ask(-1), Ask(0, current: 1), Ask(0, partition: 7)] },
                new OffsetForLeaderTopic { Topic = "missing", Partitions = [Ask(0)] },
            ],
        };

        foreach (var version in new short[] { 2, 4 })
        {
            var response = await client.RoundTripAsync<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse>(request, version);
            var answers = response.Topics[0].Partitions.Select(p => (p.ErrorCode, p.LeaderEpoch, p.EndOffset)).ToArray();
            Assert.Equal(
                [((short)0, 0, 5L), ((short)0, 0, 5L), ((short)0, -1, -1L), ((short)0, -1, -1L), ((short)76, -1, -1L), ((short)3, -1, -1L)],
                answers);
            Assert.Equal(3, response.Topics[1].Partitions[0].ErrorCode);
        }

        var v0 = await client.RoundTripAsync<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse>(
            new OffsetForLeaderEpochRequest { Topics = [new OffsetForLeaderTopic { Topic = "epochs", Partitions = [Ask(0)] }] }, 0);
        Assert.Equal(5, v0.Topics[0].Partitions[0].EndOffset);
    }

    [Fact]
    public async Task MetadataFetchListOffsets_Raw_ReportEpochZeroAndFenceOtherEpochs()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("epochs", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        await client.RoundTripAsync<ProduceRequest, ProduceResponse>(Requests.Produce("epochs", Requests.Batch(3)), 9);

        var metadata = await client.RoundTripAsync<MetadataRequest, MetadataResponse>(Requests.Metadata("epochs"), 12);
        var fetch = await client.RoundTripAsync<FetchRequest, FetchResponse>(WithCurrentEpoch(Requests.Fetch("epochs", 0), 0), 12);
        var fetchAhead = await client.RoundTripAsync<FetchRequest, FetchResponse>(WithCurrentEpoch(Requests.Fetch("epochs", 0), 2), 12);
        var fetchBehind = await client.RoundTripAsync<FetchRequest, FetchResponse>(WithCurrentEpoch(Requests.Fetch("epochs", 0), -5), 12);
        var latest = await client.RoundTripAsync<ListOffsetsRequest, ListOffsetsResponse>(ListOffsets(current: 0), 7);
        var latestAhead = await client.RoundTripAsync<ListOffsetsRequest, ListOffsetsResponse>(ListOffsets(current: 1), 7);

        Assert.Equal(0, metadata.Topics[0].Partitions[0].LeaderEpoch);
        var records = fetch.Responses[0].Partitions[0].Records!.Value;
        Assert.Equal(0, fetch.Responses[0].Partitions[0].ErrorCode);
        Assert.Equal(0, BinaryPrimitives.ReadInt32BigEndian(records.Span[RecordBatchHeader.PartitionLeaderEpochOffset..]));
        Assert.Equal(["r0", "r1", "r2"], Requests.Values(records));
        Assert.Equal(76, fetchAhead.Responses[0].Partitions[0].ErrorCode);
        Assert.True(fetchAhead.Responses[0].Partitions[0].Records!.Value.IsEmpty);
        Assert.Equal(74, fetchBehind.Responses[0].Partitions[0].ErrorCode);
        Assert.Equal((0, 3L, 0), (latest.Topics[0].Partitions[0].ErrorCode, latest.Topics[0].Partitions[0].Offset, latest.Topics[0].Partitions[0].LeaderEpoch));
        Assert.Equal(76, latestAhead.Topics[0].Partitions[0].ErrorCode);
    }

    [Fact]
    public async Task Consumer_SeekWithLeaderEpochPauseResume_ValidatesAndConsumes()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("validated", 1);
        using (var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig()).Build())
        {
            for (var i = 0; i < 6; i++)
            {
                producer.Produce("validated", new Message<Null, string> { Value = "v" + i });
            }

            Assert.Equal(0, producer.Flush(Timeout));
        }

        using var consumer = new ConsumerBuilder<Ignore, string>(harness.ConsumerConfig()).Build();
        var partition = new TopicPartition("validated", 0);
        consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
        var first = ConsumeOne(consumer);
        Assert.Equal((0L, "v0", (int?)0), (first.Offset.Value, first.Message.Value, first.LeaderEpoch));

        // A seek that carries the epoch makes librdkafka validate the position with OffsetForLeaderEpoch first.
        consumer.Seek(new TopicPartitionOffset(partition, 4, 0));
        var afterSeek = ConsumeOne(consumer);
        consumer.Pause([partition]);
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300)));
        consumer.Resume([partition]);
        var afterResume = ConsumeOne(consumer);

        Assert.Equal((4L, "v4"), (afterSeek.Offset.Value, afterSeek.Message.Value));
        Assert.Equal((5L, "v5", (int?)0), (afterResume.Offset.Value, afterResume.Message.Value, afterResume.LeaderEpoch));
        consumer.Close();
    }

    private static ConsumeResult<Ignore, string> ConsumeOne(IConsumer<Ignore, string> consumer)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is not null && !result.IsPartitionEOF)
            {
                return result;
            }
        }

        throw new TimeoutException("No message arrived.");
    }

    private static FetchRequest WithCurrentEpoch(FetchRequest request, int epoch)
    {
        request.Topics[0].Partitions[0].CurrentLeaderEpoch = epoch;
        return request;
    }

    private static ListOffsetsRequest ListOffsets(int current) => new()
    {
        ReplicaId = -1,
        Topics = [new ListOffsetsTopic { Name = "epochs", Partitions = [new ListOffsetsPartition { PartitionIndex = 0, Timestamp = ListOffsetsPartition.LatestTimestamp, CurrentLeaderEpoch = current }] }],
    };
}
