using System.Text;
using Confluent.Kafka;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests;

/// <summary>Idempotent producers (InitProducerId + the log's producer state), acks settings, and transactional ids over raw requests.</summary>
public sealed class IdempotenceTests
{
    [Fact]
    public async Task Produce_IdempotentAcksAll_EveryMessageOnceInOrder()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("idem", 3);
        const int count = 6000;
        var config = harness.ProducerConfig(c =>
        {
            c.EnableIdempotence = true;
            c.Acks = Acks.All;
            c.MaxInFlight = 5;
            c.LingerMs = 2;
            c.BatchNumMessages = 100;
        });
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            var errors = 0;
            for (var i = 0; i < count; i++)
            {
                producer.Produce(new TopicPartition("idem", i % 3), new Message<string, string> { Key = "k", Value = i.ToString() }, r => { if (r.Error.IsError) Interlocked.Increment(ref errors); });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(20)));
            Assert.Equal(0, errors);
        }

        var consumed = harness.ConsumeFromBeginning("idem", count, partitions: 3);

        Assert.Equal(count, consumed.Count);
        foreach (var group in consumed.GroupBy(r => r.Partition.Value))
        {
            var values = group.Select(r => int.Parse(Encoding.UTF8.GetString(r.Message.Value!))).ToList();
            Assert.Equal(Enumerable.Range(0, count / 3).Select(i => (i * 3) + group.Key), values);
            Assert.Equal(Enumerable.Range(0, count / 3).Select(i => (long)i), group.Select(r => r.Offset.Value));
        }

        // The batches on disk carry a producer id the broker handed out.
        var header = Freshet.Log.Records.RecordBatchHeader.Read(harness.Store.GetPartition("idem", 0).Read(0, 1 << 20).Records.Span);
        Assert.True(header.ProducerId >= 0);
    }

    [Fact]
    public async Task Produce_AcksZero_StoresEverythingWithoutResponses()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("fire-and-forget", 1);
        using (var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig(c => c.Acks = Acks.None)).Build())
        {
            for (var i = 0; i < 500; i++)
            {
                producer.Produce("fire-and-forget", new Message<Null, string> { Value = "m" + i });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
        }

        var partition = harness.Store.GetPartition("fire-and-forget", 0);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (partition.LogEndOffset < 500 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(500, partition.LogEndOffset);
        Assert.Equal(500, harness.ConsumeFromBeginning("fire-and-forget", 500).Count);
    }

    [Fact]
    public async Task Produce_RawAcksZero_NoResponseAndNextRequestAnswered()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        await client.SendAsync(Requests.Produce("t", Requests.Batch(3), acks: 0), 9, correlationId: 7);
        var metadata = await client.RoundTripAsync<MetadataRequest, MetadataResponse>(Requests.Metadata("t"), 12);

        // The first frame back answers the Metadata request: acks=0 got nothing.
        Assert.Single(metadata.Topics);
        Assert.Equal(3, harness.Store.GetPartition("t", 0).LogEndOffset);
    }

    [Fact]
    public async Task Produce_RawAcksZeroToUnknownTopic_ClosesConnection()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        await client.SendAsync(Requests.Produce("missing", Requests.Batch(1), acks: 0), 9);

        Assert.True(await client.IsClosedByBrokerAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task InitProducerId_TransactionalIdTwice_SameProducerIdNextEpoch()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var first = await client.RoundTripAsync<InitProducerIdRequest, InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = "tx", TransactionTimeoutMs = 1000 }, 4);
        var second = await client.RoundTripAsync<InitProducerIdRequest, InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = "tx", TransactionTimeoutMs = 1000 }, 1);
        var badTimeout = await client.RoundTripAsync<InitProducerIdRequest, InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = "tx", TransactionTimeoutMs = 0 }, 4);

        Assert.Equal((0, (short)0), (first.ErrorCode, first.ProducerEpoch));
        Assert.True(first.ProducerId >= Freshet.Log.Transactions.TransactionCoordinator.FirstProducerId);
        Assert.Equal((0, first.ProducerId, (short)1), (second.ErrorCode, second.ProducerId, second.ProducerEpoch));
        Assert.Equal(50, badTimeout.ErrorCode);
        Assert.Equal(-1, badTimeout.ProducerId);
    }

    [Fact]
    public async Task InitProducerId_AfterRestart_NeverReusesIds()
    {
        await using var harness = await BrokerHarness.StartAsync();
        var seen = new HashSet<long>();
        for (var round = 0; round < 2; round++)
        {
            using (var client = await RawKafkaClient.ConnectAsync(harness.Broker))
            {
                for (var i = 0; i < 5; i++)
                {
                    var response = await client.RoundTripAsync<InitProducerIdRequest, InitProducerIdResponse>(new InitProducerIdRequest(), (short)(i % 5));
                    Assert.Equal(0, response.ErrorCode);
                    Assert.Equal(0, response.ProducerEpoch);
                    Assert.True(seen.Add(response.ProducerId), $"producer id {response.ProducerId} handed out twice");
                }
            }

            await harness.RestartAsync();
        }
    }

    [Fact]
    public async Task Produce_TransactionalBatchToPartitionNotInTransaction_InvalidTxnStateAndNothingStored()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        var producer = await client.RoundTripAsync<InitProducerIdRequest, InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = "tx", TransactionTimeoutMs = 60_000 }, 4);
        var builder = new Freshet.Log.Records.RecordBatchBuilder { ProducerId = producer.ProducerId, ProducerEpoch = producer.ProducerEpoch, BaseSequence = 0, IsTransactional = true };
        builder.Add(1, "k"u8, "v"u8);

        var response = await client.RoundTripAsync<ProduceRequest, ProduceResponse>(Requests.Produce("t", builder.Build(), transactionalId: "tx"), 9);

        var partition = response.Responses.Single().PartitionResponses.Single();
        Assert.Equal(48, partition.ErrorCode);
        Assert.Equal(0, harness.Store.GetPartition("t", 0).LogEndOffset);
    }

    [Fact]
    public async Task FindCoordinator_GroupAndTransactionKeys_ThisNode()
    {
        await using var harness = await BrokerHarness.StartAsync(new BrokerOptions { NodeId = 7 });
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var group = await client.RoundTripAsync<FindCoordinatorRequest, FindCoordinatorResponse>(new FindCoordinatorRequest { Key = "g" }, 0);
        var transaction = await client.RoundTripAsync<FindCoordinatorRequest, FindCoordinatorResponse>(new FindCoordinatorRequest { Key = "tx", KeyType = FindCoordinatorRequest.TransactionKeyType }, 2);

        Assert.Equal((0, 7, "127.0.0.1", harness.Broker.Port), (group.ErrorCode, group.NodeId, group.Host, group.Port));
        Assert.Equal((0, 7, "127.0.0.1", harness.Broker.Port), (transaction.ErrorCode, transaction.NodeId, transaction.Host, transaction.Port));
    }
}
