using System.Text;
using Confluent.Kafka;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests;

/// <summary>
/// DescribeProducers, DescribeTransactions and ListTransactions (KIP-664) as raw requests (Confluent.Kafka
/// 2.16 has no calls for them), checked against the state real librdkafka producers leave behind.
/// </summary>
public sealed class TransactionAdminTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task DescribeProducers_IdempotentAndOpenTransaction_ReportsEachProducersState()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("described", 1);
        using var idempotent = new ProducerBuilder<byte[]?, byte[]?>(harness.ProducerConfig(c => c.EnableIdempotence = true)).Build();
        for (var i = 0; i < 4; i++)
        {
            idempotent.Produce("described", Message("idem-" + i));
        }

        Assert.Equal(0, idempotent.Flush(Timeout));
        using var transactional = TransactionalProducer(harness, "describe-producers");
        transactional.InitTransactions(Timeout);
        transactional.BeginTransaction();
        transactional.Produce("described", Message("txn-0"));
        transactional.Produce("described", Message("txn-1"));
        Assert.Equal(0, transactional.Flush(Timeout));
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var response = await client.RoundTripAsync<DescribeProducersRequest, DescribeProducersResponse>(
            new DescribeProducersRequest
            {
                Topics =
                [
                    new DescribeProducersTopicRequest { Name = "described", PartitionIndexes = [0, 1] },
                    new DescribeProducersTopicRequest { Name = "missing", PartitionIndexes = [0] },
                ],
            },
            0);

        var partitions = response.Topics[0].Partitions;
        Assert.Equal((0, 0), (partitions[0].PartitionIndex, partitions[0].ErrorCode));
        Assert.Equal(3, partitions[1].ErrorCode);
        Assert.Equal(3, response.Topics[1].Partitions[0].ErrorCode);
        var states = partitions[0].ActiveProducers;
        Assert.Equal(2, states.Count);
        var idem = states[0];
        var txn = states[1];
        Assert.Equal((0, 3, -1L, -1), (idem.ProducerEpoch, idem.LastSequence, idem.CurrentTxnStartOffset, idem.CoordinatorEpoch));
        Assert.True(idem.LastTimestamp > 0);
        Assert.True(txn.ProducerId >= Freshet.Log.Transactions.TransactionCoordinator.FirstProducerId);
        Assert.Equal((0, 1, 4L, 0), (txn.ProducerEpoch, txn.LastSequence, txn.CurrentTxnStartOffset, txn.CoordinatorEpoch));

        transactional.CommitTransaction(Timeout);
        var afterCommit = await client.RoundTripAsync<DescribeProducersRequest, DescribeProducersResponse>(
            new DescribeProducersRequest { Topics = [new DescribeProducersTopicRequest { Name = "described", PartitionIndexes = [0] }] },
            0);
        Assert.Equal(-1, afterCommit.Topics[0].Partitions[0].ActiveProducers[1].CurrentTxnStartOffset);
    }

    [Fact]
    public async Task DescribeTransactions_OngoingThenCommitted_StatePartitionsAndUnknownId()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("txn-a", 2);
        harness.Store.CreateTopic("txn-b", 1);
        using var producer = TransactionalProducer(harness, "described-txn");
        producer.InitTransactions(Timeout);
        producer.BeginTransaction();
        producer.Produce(new TopicPartition("txn-b", 0), Message("b"));
        producer.Produce(new TopicPartition("txn-a", 1), Message("a1"));
        producer.Produce(new TopicPartition("txn-a", 0), Message("a0"));
        Assert.Equal(0, producer.Flush(Timeout));
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        var request = new DescribeTransactionsRequest { TransactionalIds = ["described-txn", "nobody"] };

        var open = await client.RoundTripAsync<DescribeTransactionsRequest, DescribeTransactionsResponse>(request, 0);
        producer.CommitTransaction(Timeout);
        var committed = await client.RoundTripAsync<DescribeTransactionsRequest, DescribeTransactionsResponse>(request, 0);

        var state = open.TransactionStates[0];
        Assert.Equal((0, "described-txn", "Ongoing", 60_000, (short)0), (state.ErrorCode, state.TransactionalId, state.TransactionState, state.TransactionTimeoutMs, state.ProducerEpoch));
        Assert.True(state.ProducerId >= Freshet.Log.Transactions.TransactionCoordinator.FirstProducerId);
        Assert.True(state.TransactionStartTimeMs > 0);
        Assert.Equal(["txn-a:0,1", "txn-b:0"], state.Topics.Select(t => t.Topic + ":" + string.Join(",", t.Partitions)));
        Assert.Equal((105, "nobody"), (open.TransactionStates[1].ErrorCode, open.TransactionStates[1].TransactionalId));
        Assert.Equal("CompleteCommit", committed.TransactionStates[0].TransactionState);
        Assert.Empty(committed.TransactionStates[0].Topics);
        Assert.Equal(105, committed.TransactionStates[1].ErrorCode);
    }

    [Fact]
    public async Task ListTransactions_StateProducerAndDurationFilters_SelectAsKafkaDoes()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("listed", 1);
        using var ongoing = TransactionalProducer(harness, "listed-ongoing");
        ongoing.InitTransactions(Timeout);
        ongoing.BeginTransaction();
        ongoing.Produce("listed", Message("open"));
        Assert.Equal(0, ongoing.Flush(Timeout));
        using var empty = TransactionalProducer(harness, "listed-empty");
        empty.InitTransactions(Timeout);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var all = await List(client, new ListTransactionsRequest(), 0);
        var onlyOngoing = await List(client, new ListTransactionsRequest { StateFilters = ["Ongoing", "Bogus"] }, 1);
        var emptyId = all.TransactionStates.Single(t => t.TransactionalId == "listed-empty").ProducerId;
        var byProducer = await List(client, new ListTransactionsRequest { ProducerIdFilters = [emptyId] }, 0);
        var longRunning = await List(client, new ListTransactionsRequest { StateFilters = ["Ongoing"], DurationFilter = 3_600_000 }, 1);
        var onlyUnknown = await List(client, new ListTransactionsRequest { StateFilters = ["Bogus"] }, 0);

        Assert.Equal(["listed-empty:Empty", "listed-ongoing:Ongoing"], all.TransactionStates.Select(t => t.TransactionalId + ":" + t.TransactionState).Order(StringComparer.Ordinal));
        Assert.Empty(all.UnknownStateFilters);
        Assert.Equal(["listed-ongoing"], onlyOngoing.TransactionStates.Select(t => t.TransactionalId));
        Assert.Equal(["Bogus"], onlyOngoing.UnknownStateFilters);
        Assert.Equal(["listed-empty"], byProducer.TransactionStates.Select(t => t.TransactionalId));
        Assert.Empty(longRunning.TransactionStates);
        Assert.Empty(onlyUnknown.TransactionStates);
    }

    private static Task<ListTransactionsResponse> List(RawKafkaClient client, ListTransactionsRequest request, short version) =>
        client.RoundTripAsync<ListTransactionsRequest, ListTransactionsResponse>(request, version);

    private static Message<byte[]?, byte[]?> Message(string value) => new() { Value = Encoding.UTF8.GetBytes(value) };

    private static IProducer<byte[]?, byte[]?> TransactionalProducer(BrokerHarness harness, string transactionalId) =>
        new ProducerBuilder<byte[]?, byte[]?>(harness.ProducerConfig(c =>
        {
            c.TransactionalId = transactionalId;
            c.TransactionTimeoutMs = 60_000;
        })).Build();
}
