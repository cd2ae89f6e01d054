using Confluent.Kafka;
using Freshet.Broker.Tests.Support;

namespace Freshet.Broker.Tests;

/// <summary>Stopping the broker and the store, reopening the same directory, and reading everything back.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Restart_AfterAcknowledgedProduce_ConsumesEverythingFromTheBeginning()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("durable", 2);
        await ProduceAsync(harness, 0, 300);

        await harness.RestartAsync();
        await ProduceAsync(harness, 300, 300);

        var consumed = harness.ConsumeFromBeginning("durable", 600, partitions: 2);
        var values = consumed.Select(r => int.Parse(System.Text.Encoding.UTF8.GetString(r.Message.Value!))).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 600), values);
        foreach (var partition in consumed.GroupBy(r => r.Partition.Value))
        {
            Assert.Equal(Enumerable.Range(0, partition.Count()).Select(i => (long)i), partition.Select(r => r.Offset.Value));
        }
    }

    private static async Task ProduceAsync(BrokerHarness harness, int from, int count)
    {
        using var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig(c => { c.EnableIdempotence = true; c.Acks = Acks.All; })).Build();
        for (var i = from; i < from + count; i++)
        {
            producer.Produce(new TopicPartition("durable", i % 2), new Message<Null, string> { Value = i.ToString() });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(15)));
    }
}
