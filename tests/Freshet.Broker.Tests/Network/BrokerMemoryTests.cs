using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;
using CompressionType = Freshet.Log.Records.CompressionType;
using Freshet.Log.Tests.Records;
using Xunit.Abstractions;

namespace Freshet.Broker.Tests.Network;

/// <summary>
/// The broker's memory is bounded by the request, not by what compressed records expand to. The broker runs as
/// its own OS process (<c>freshet broker</c>) so its peak resident memory (VmHWM) can be measured: it must stay
/// under <see cref="PeakResidentBound"/> while decompression bombs are refused, and other clients keep working.
/// </summary>
[Collection(nameof(BrokerMemoryTests))]
public sealed class BrokerMemoryTests(ITestOutputHelper output)
{
    /// <summary>The bound stated in docs/broker.md (Limits): the broker idles near 50 MB.</summary>
    private const long PeakResidentBound = 300L * 1024 * 1024;

    /// <summary>Resident memory the broker must come back under after a burst of large, valid requests.</summary>
    private const long ReturnedBound = 150L * 1024 * 1024;

    private const short MessageTooLarge = 10;
    private const int TopicLimit = 8 * 1024 * 1024;

    [Fact]
    public async Task Produce_DecompressionBombsOfEveryCodec_AreRefusedAsTooLargeWithBoundedMemory()
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var broker = await BrokerProcess.StartAsync();
        await CreateTopicAsync(broker, "bombs", TopicLimit);
        var bombs = new (string Name, byte[] Batch)[]
        {
            ("gzip 512 MiB", CompressionBombs.Batch(CompressionType.Gzip, records: 512, valueBytes: 1024 * 1024)),
            ("zstd 512 MiB", CompressionBombs.Batch(CompressionType.Zstd, records: 512, valueBytes: 1024 * 1024)),
            ("lz4 256 MiB", CompressionBombs.Batch(CompressionType.Lz4, records: 256, valueBytes: 1024 * 1024)),
            ("snappy 128 MiB", CompressionBombs.Batch(CompressionType.Snappy, records: 128, valueBytes: 1024 * 1024)),
        };

        using var client = await RawKafkaClient.ConnectAsync(broker.Port);
        var codes = new List<short>();
        foreach (var (name, batch) in bombs)
        {
            Assert.True(batch.Length < TopicLimit, $"the {name} bomb is {batch.Length} bytes compressed");
            codes.Add(await ProduceAsync(client, "bombs", batch));
        }

        AssertPeakBounded(broker);
        Assert.All(codes, code => Assert.Equal(MessageTooLarge, code));
        await RoundTripAsync(broker, "after-bombs");
    }

    [Fact]
    public async Task Produce_FourConcurrentBombsBesideARealClient_AreRefusedWithBoundedMemory()
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var broker = await BrokerProcess.StartAsync();
        await CreateTopicAsync(broker, "bombs", TopicLimit);
        var bomb = CompressionBombs.Batch(CompressionType.Zstd, records: 512, valueBytes: 1024 * 1024);

        var bombers = Enumerable.Range(0, 4).Select(async _ =>
        {
            using var client = await RawKafkaClient.ConnectAsync(broker.Port);
            var codes = new List<short>();
            for (var i = 0; i < 3; i++)
            {
                codes.Add(await ProduceAsync(client, "bombs", bomb));
            }

            return codes;
        }).ToArray();
        var roundTrip = RoundTripAsync(broker, "during-bombs");

        var codes = await Task.WhenAll(bombers);
        await roundTrip;
        AssertPeakBounded(broker);
        Assert.All(codes.SelectMany(c => c), code => Assert.Equal(MessageTooLarge, code));
        await RoundTripAsync(broker, "after-bombs");
    }

    [Fact]
    public async Task Produce_GzipBatchHoldingOne256MiBRecord_IsRefusedAsTooLarge()
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var broker = await BrokerProcess.StartAsync();
        await CreateTopicAsync(broker, "defaults", maxMessageBytes: null);
        var batch = CompressionBombs.Batch(CompressionType.Gzip, records: 1, valueBytes: 256 * 1024 * 1024);

        using var client = await RawKafkaClient.ConnectAsync(broker.Port);
        var code = await ProduceAsync(client, "defaults", batch);

        AssertPeakBounded(broker);
        Assert.Equal(MessageTooLarge, code);
        await RoundTripAsync(broker, "defaults");
    }

    private void AssertPeakBounded(BrokerProcess broker)
    {
        var peak = broker.PeakResidentBytes;
        output.WriteLine($"peak resident {peak / (1024 * 1024)} MiB, resident now {broker.ResidentBytes / (1024 * 1024)} MiB");
        Assert.True(peak < PeakResidentBound, $"the broker's peak resident memory was {peak / (1024 * 1024)} MiB (bound {PeakResidentBound / (1024 * 1024)} MiB)");
    }

    [Fact]
    public async Task Produce_BurstOfLargeRequests_ResidentMemoryIsReturnedAfterwards()
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var broker = await BrokerProcess.StartAsync();
        await CreateTopicAsync(broker, "large", 64 * 1024 * 1024);
        var batch = Requests.Batch(6, new string('z', 10 * 1024 * 1024));
        var clients = new List<RawKafkaClient>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                clients.Add(await RawKafkaClient.ConnectAsync(broker.Port));
            }

            for (var round = 0; round < 3; round++)
            {
                var codes = await Task.WhenAll(clients.Select(client => ProduceAsync(client, "large", batch)));
                Assert.All(codes, code => Assert.Equal(0, code));
            }

            // Twelve 60 MiB requests, four at a time, take the broker to several hundred MiB; once the burst is
            // over the memory must come back (it stayed above 500 MiB before the trim after large requests).
            var peak = broker.PeakResidentBytes;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (broker.ResidentBytes >= ReturnedBound && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }

            output.WriteLine($"peak resident {peak / (1024 * 1024)} MiB, resident after the burst {broker.ResidentBytes / (1024 * 1024)} MiB");
            Assert.True(broker.ResidentBytes < ReturnedBound, $"the broker kept {broker.ResidentBytes / (1024 * 1024)} MiB resident after the burst (peak {peak / (1024 * 1024)} MiB)");
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    private static async Task<short> ProduceAsync(RawKafkaClient client, string topic, byte[] batch)
    {
        var response = await client.RoundTripAsync<ProduceRequest, ProduceResponse>(Requests.Produce(topic, batch), 9);
        return response.Responses[0].PartitionResponses[0].ErrorCode;
    }

    private static async Task CreateTopicAsync(BrokerProcess broker, string topic, int? maxMessageBytes)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var spec = new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = 1 };
        if (maxMessageBytes is { } limit)
        {
            spec.Configs = new Dictionary<string, string> { ["max.message.bytes"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        }

        await admin.CreateTopicsAsync([spec]);
    }

    /// <summary>Produces ten records with Confluent.Kafka and reads them back with a consumer.</summary>
    private static async Task RoundTripAsync(BrokerProcess broker, string topic)
    {
        var values = Enumerable.Range(0, 10).Select(i => $"{topic}-{i}-{Guid.NewGuid():N}").ToArray();
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, MessageTimeoutMs = 60_000, LingerMs = 5 }).Build())
        {
            foreach (var value in values)
            {
                await producer.ProduceAsync(topic, new Message<Null, string> { Value = value });
            }
        }

        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "memory-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 100,
        }).Build();
        consumer.Subscribe(topic);
        var seen = new HashSet<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!values.All(seen.Contains) && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                seen.Add(result.Message.Value);
            }
        }

        consumer.Close();
        Assert.All(values, value => Assert.Contains(value, seen));
    }
}
