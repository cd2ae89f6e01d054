using Confluent.Kafka;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests;

/// <summary>ListOffsets through librdkafka (OffsetsForTimes, QueryWatermarkOffsets) and raw requests.</summary>
public sealed class ListOffsetsTests
{
    private const long BaseTime = 1_700_000_000_000;

    private static async Task<BrokerHarness> StartWithTimedMessagesAsync(int count)
    {
        var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("timed", 1);
        using var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig(c => c.LingerMs = 0)).Build();
        for (var i = 0; i < count; i++)
        {
            // One message per request so the time index sees many batches.
            await producer.ProduceAsync("timed", new Message<Null, string> { Value = "m" + i, Timestamp = new Timestamp(BaseTime + (i * 1000), TimestampType.CreateTime) });
        }

        return harness;
    }

    [Fact]
    public async Task OffsetsForTimes_BetweenAndAfterRecords_FirstLaterOffsetOrEnd()
    {
        await using var harness = await StartWithTimedMessagesAsync(20);
        using var consumer = new ConsumerBuilder<Null, string>(harness.ConsumerConfig()).Build();

        var found = consumer.OffsetsForTimes(
            [
                new TopicPartitionTimestamp("timed", 0, new Timestamp(BaseTime + 5500, TimestampType.CreateTime)),
            ],
            TimeSpan.FromSeconds(10));
        var exact = consumer.OffsetsForTimes([new TopicPartitionTimestamp("timed", 0, new Timestamp(BaseTime + 7000, TimestampType.CreateTime))], TimeSpan.FromSeconds(10));
        var early = consumer.OffsetsForTimes([new TopicPartitionTimestamp("timed", 0, new Timestamp(BaseTime - 1, TimestampType.CreateTime))], TimeSpan.FromSeconds(10));
        var late = consumer.OffsetsForTimes([new TopicPartitionTimestamp("timed", 0, new Timestamp(BaseTime + 100_000, TimestampType.CreateTime))], TimeSpan.FromSeconds(10));

        Assert.Equal(6, found.Single().Offset.Value);
        Assert.Equal(7, exact.Single().Offset.Value);
        Assert.Equal(0, early.Single().Offset.Value);
        Assert.Equal(Offset.End, late.Single().Offset);
    }

    [Fact]
    public async Task QueryWatermarkOffsets_AfterProduce_LowZeroHighCount()
    {
        await using var harness = await StartWithTimedMessagesAsync(5);
        using var consumer = new ConsumerBuilder<Null, string>(harness.ConsumerConfig()).Build();

        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition("timed", 0), TimeSpan.FromSeconds(10));

        Assert.Equal((0L, 5L), (watermarks.Low.Value, watermarks.High.Value));
    }

    [Fact]
    public async Task ListOffsets_RawEveryVersion_EarliestLatestTimestampAndMax()
    {
        await using var harness = await StartWithTimedMessagesAsync(10);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        for (short version = 0; version <= 7; version++)
        {
            var partitions = new List<ListOffsetsPartition>
            {
                new() { PartitionIndex = 0, Timestamp = ListOffsetsPartition.EarliestTimestamp },
                new() { PartitionIndex = 0, Timestamp = ListOffsetsPartition.LatestTimestamp },
                new() { PartitionIndex = 0, Timestamp = BaseTime + 2500 },
                new() { PartitionIndex = 0, Timestamp = BaseTime + 1_000_000 },
            };
            if (version >= 7)
            {
                partitions.Add(new() { PartitionIndex = 0, Timestamp = -3 });
            }

            var response = await client.RoundTripAsync<ListOffsetsRequest, ListOffsetsResponse>(
                new ListOffsetsRequest { Topics = [new ListOffsetsTopic { Name = "timed", Partitions = partitions }, new ListOffsetsTopic { Name = "missing", Partitions = [new() { Timestamp = -1 }] }] },
                version);

            var answers = response.Topics[0].Partitions;
            Assert.All(answers, a => Assert.Equal(0, a.ErrorCode));
            if (version == 0)
            {
                // v0 answers with a list of offsets and no timestamps.
                Assert.Equal([[0L], [10L], [3L], []], answers.Select(a => a.OldStyleOffsets.ToArray()));
                Assert.Equal(3, response.Topics[1].Partitions[0].ErrorCode);
                continue;
            }

            Assert.Equal(0, answers[0].Offset);
            Assert.Equal(10, answers[1].Offset);
            Assert.Equal((3L, BaseTime + 3000), (answers[2].Offset, answers[2].Timestamp));
            Assert.Equal((-1L, -1L), (answers[3].Offset, answers[3].Timestamp));
            if (version >= 7)
            {
                Assert.Equal((9L, BaseTime + 9000), (answers[4].Offset, answers[4].Timestamp));
            }

            Assert.Equal(3, response.Topics[1].Partitions[0].ErrorCode);
        }
    }
}
