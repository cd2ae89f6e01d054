using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;
using Partition = Freshet.Log.Partitions.Partition;
using Freshet.Log.Records;
using Freshet.Log.Topics;

namespace Freshet.Broker.Tests;

/// <summary>
/// Fetches and consumer seeks at random offsets race appends, segment rolls (1 KiB segments) and retention.
/// A fetch of an offset inside [LogStartOffset, HighWatermark) returns the record at that offset, unless
/// retention removed it before the answer (then OFFSET_OUT_OF_RANGE is right, and the log start has passed it).
/// </summary>
public sealed class FetchRaceTests
{
    private const short OffsetOutOfRange = 1;

    [Fact]
    public async Task Fetch_AtRandomOffsetsWhileAppendingRollingAndDeleting_ReturnsTheRecordAtEveryOffsetInRange()
    {
        await using var harness = await BrokerHarness.StartAsync();
        var partition = CreateRollingTopic(harness, "race", retentionBytes: 64 * 1024);
        FillAndApplyRetention(partition, 96 * 1024);

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() => AppendUntil(partition, stop.Token));
        var retention = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                partition.ApplyRetention();
                await Task.Yield();
            }
        });

        var failures = new ConcurrentQueue<string>();
        var readers = Enumerable.Range(0, 4).Select(seed => Task.Run(async () =>
        {
            using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
            var random = new Random(seed);
            for (var i = 0; i < 500 && failures.IsEmpty; i++)
            {
                var start = partition.LogStartOffset;
                var end = partition.HighWatermark;
                var offset = i % 2 == 0 ? start + random.NextInt64(end - start) : Math.Max(start, end - 1 - random.Next(8));
                var response = await client.RoundTripAsync<FetchRequest, FetchResponse>(Requests.Fetch("race", offset, partitionMaxBytes: 1), 12);
                var answer = response.Responses[0].Partitions[0];
                var problem = answer.ErrorCode switch
                {
                    0 => CheckHolds(answer.Records ?? ReadOnlyMemory<byte>.Empty, offset),
                    OffsetOutOfRange when offset < partition.LogStartOffset => null,
                    _ => $"error {answer.ErrorCode}",
                };
                if (problem is not null)
                {
                    failures.Enqueue($"fetch at {offset} (range [{start}, {end}) before, log start {partition.LogStartOffset} after): {problem}");
                }
            }
        })).ToArray();

        await Task.WhenAll(readers);
        await stop.CancelAsync();
        await Task.WhenAll(writer, retention);
        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Take(5)));
    }

    [Fact]
    public async Task ConsumerSeek_ToRandomOffsetsWhileAppendingAndRolling_ReadsTheRecordAtEachOffset()
    {
        await using var harness = await BrokerHarness.StartAsync();
        var partition = CreateRollingTopic(harness, "seeks", retentionBytes: -1);
        FillAndApplyRetention(partition, 32 * 1024);

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() => AppendUntil(partition, stop.Token));
        using var consumer = new ConsumerBuilder<Ignore, string>(harness.ConsumerConfig(c => c.AutoOffsetReset = AutoOffsetReset.Error)).Build();
        var random = new Random(3);
        try
        {
            for (var i = 0; i < 100; i++)
            {
                var offset = random.NextInt64(partition.HighWatermark);
                consumer.Assign(new TopicPartitionOffset("seeks", 0, offset));
                var result = consumer.Consume(TimeSpan.FromSeconds(30));
                Assert.NotNull(result);
                Assert.Equal(offset, result.Offset.Value);
                Assert.Equal($"value-{offset}", result.Message.Value);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }
    }

    private static Partition CreateRollingTopic(BrokerHarness harness, string topic, long retentionBytes)
    {
        harness.Store.CreateTopic(topic, 1, TopicConfig.Default with
        {
            SegmentBytes = 1024,
            IndexIntervalBytes = 256,
            RetentionBytes = retentionBytes,
            RetentionMs = -1,
        });
        return harness.Store.GetPartition(topic, 0);
    }

    private static void FillAndApplyRetention(Partition partition, long bytes)
    {
        while (partition.SizeBytes < bytes)
        {
            partition.Append(Batch(partition.LogEndOffset, 4));
        }

        partition.ApplyRetention();
    }

    /// <summary>Appends batches of 1 to 5 records whose values name their offsets (this is the only writer).</summary>
    private static void AppendUntil(Partition partition, CancellationToken stop)
    {
        var random = new Random(11);
        while (!stop.IsCancellationRequested)
        {
            partition.Append(Batch(partition.LogEndOffset, random.Next(1, 6)));
            Thread.Sleep(0);
        }
    }

    private static byte[] Batch(long firstOffset, int count)
    {
        var builder = new RecordBatchBuilder();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < count; i++)
        {
            builder.Add(now, Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes($"value-{firstOffset + i}"));
        }

        return builder.Build();
    }

    private static string? CheckHolds(ReadOnlyMemory<byte> records, long offset)
    {
        if (records.IsEmpty)
        {
            return "no records";
        }

        foreach (var record in RecordBatchReader.ReadRecords(records))
        {
            if (record.Offset == offset)
            {
                var value = Encoding.UTF8.GetString(record.Value!);
                return value == $"value-{offset}" ? null : $"offset {offset} holds {value}";
            }
        }

        return $"the batches returned do not hold offset {offset}";
    }
}
