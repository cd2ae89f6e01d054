using System.Text;
using Confluent.Kafka;
using Freshet.Broker.Tests.Support;

namespace Freshet.Broker.Tests;

/// <summary>
/// Kafka transactions through a real librdkafka client (Confluent.Kafka): commit and abort,
/// read_committed against read_uncommitted consumers, SendOffsetsToTransaction, and fencing by a second
/// producer with the same transactional.id.
/// </summary>
public sealed class TransactionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task TransactionalProducer_CommitAndAbort_ReadCommittedSeesOnlyCommittedReadUncommittedSeesAll()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("txn-out", 2);
        using (var producer = TransactionalProducer(harness, "txn-commit-abort"))
        {
            producer.InitTransactions(Timeout);
            Send(producer, "txn-out", "committed-", 0, 3, Timeout);
            producer.CommitTransaction(Timeout);
            Send(producer, "txn-out", "aborted-", 0, 2, Timeout);
            producer.AbortTransaction(Timeout);
            Send(producer, "txn-out", "committed-", 3, 2, Timeout);
            producer.CommitTransaction(Timeout);
        }

        var committed = Values(harness.ConsumeFromBeginning("txn-out", 10, partitions: 2, timeout: TimeSpan.FromSeconds(6), configure: c => c.IsolationLevel = IsolationLevel.ReadCommitted));
        var everything = Values(harness.ConsumeFromBeginning("txn-out", 10, partitions: 2, timeout: TimeSpan.FromSeconds(6), configure: c => c.IsolationLevel = IsolationLevel.ReadUncommitted));

        Assert.Equal(["committed-0", "committed-1", "committed-2", "committed-3", "committed-4"], committed.Order(StringComparer.Ordinal));
        Assert.Equal(["aborted-0", "aborted-1", "committed-0", "committed-1", "committed-2", "committed-3", "committed-4"], everything.Order(StringComparer.Ordinal));
        foreach (var partition in new[] { 0, 1 })
        {
            var log = harness.Store.GetPartition("txn-out", partition);
            Assert.Equal(log.HighWatermark, log.LastStableOffset);
        }
    }

    [Fact]
    public async Task ReadCommittedConsumer_OpenTransaction_WaitsForTheCommit()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("txn-open", 1);
        using var producer = TransactionalProducer(harness, "txn-open");
        producer.InitTransactions(Timeout);
        Send(producer, "txn-open", "pending-", 0, 2, Timeout);

        var whileOpen = harness.ConsumeFromBeginning("txn-open", 1, timeout: TimeSpan.FromSeconds(3), configure: c => c.IsolationLevel = IsolationLevel.ReadCommitted);
        var uncommitted = harness.ConsumeFromBeginning("txn-open", 2, timeout: Timeout, configure: c => c.IsolationLevel = IsolationLevel.ReadUncommitted);
        Assert.Empty(whileOpen);
        Assert.Equal(2, uncommitted.Count);
        Assert.Equal(0, harness.Store.GetPartition("txn-open", 0).LastStableOffset);

        producer.CommitTransaction(Timeout);

        var afterCommit = Values(harness.ConsumeFromBeginning("txn-open", 2, timeout: Timeout, configure: c => c.IsolationLevel = IsolationLevel.ReadCommitted));
        Assert.Equal(["pending-0", "pending-1"], afterCommit);
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(harness.ConsumerConfig(c => c.IsolationLevel = IsolationLevel.ReadCommitted)).Build();
        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition("txn-open", 0), Timeout);
        Assert.Equal(3, watermarks.High.Value);
    }

    [Fact]
    public async Task SendOffsetsToTransaction_GroupOffsetsCommittedOnlyWithTheTransaction()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("txn-in", 1);
        harness.Store.CreateTopic("txn-sink", 1);
        using (var plain = new ProducerBuilder<Null, string>(harness.ProducerConfig()).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                plain.Produce("txn-in", new Message<Null, string> { Value = "in-" + i });
            }

            Assert.Equal(0, plain.Flush(Timeout));
        }

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(harness.ConsumerConfig(c =>
        {
            c.GroupId = "txn-group";
            c.IsolationLevel = IsolationLevel.ReadCommitted;
        })).Build();
        consumer.Subscribe("txn-in");
        var first = ConsumeOne(consumer);
        Assert.Equal(0, first.Offset.Value);
        using var producer = TransactionalProducer(harness, "txn-offsets");
        producer.InitTransactions(Timeout);

        producer.BeginTransaction();
        producer.Produce("txn-sink", new Message<byte[]?, byte[]?> { Value = "aborted"u8.ToArray() });
        producer.SendOffsetsToTransaction([new TopicPartitionOffset("txn-in", 0, 7)], consumer.ConsumerGroupMetadata, Timeout);
        producer.AbortTransaction(Timeout);
        Assert.False(harness.Store.GroupOffsets.TryFetch("txn-group", "txn-in", 0, out _));

        producer.BeginTransaction();
        producer.Produce("txn-sink", new Message<byte[]?, byte[]?> { Value = "committed"u8.ToArray() });
        producer.SendOffsetsToTransaction([new TopicPartitionOffset("txn-in", 0, 5)], consumer.ConsumerGroupMetadata, Timeout);
        Assert.False(harness.Store.GroupOffsets.TryFetch("txn-group", "txn-in", 0, out _));
        producer.CommitTransaction(Timeout);

        Assert.True(harness.Store.GroupOffsets.TryFetch("txn-group", "txn-in", 0, out var stored));
        Assert.Equal(5, stored.Offset);
        var fetched = consumer.Committed([new TopicPartition("txn-in", 0)], Timeout);
        Assert.Equal(5, Assert.Single(fetched).Offset.Value);
        consumer.Close();
        Assert.Equal(["committed"], Values(harness.ConsumeFromBeginning("txn-sink", 2, timeout: TimeSpan.FromSeconds(4), configure: c => c.IsolationLevel = IsolationLevel.ReadCommitted)));
    }

    [Fact]
    public async Task SecondProducerWithSameTransactionalId_FencesTheFirstAndAbortsItsOpenTransaction()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("txn-fence", 1);
        using var zombie = TransactionalProducer(harness, "txn-fenced-id");
        zombie.InitTransactions(Timeout);
        Send(zombie, "txn-fence", "zombie-", 0, 2, Timeout);

        using var successor = TransactionalProducer(harness, "txn-fenced-id");
        successor.InitTransactions(Timeout);

        var failure = Assert.ThrowsAny<KafkaException>(() =>
        {
            zombie.Produce("txn-fence", new Message<byte[]?, byte[]?> { Value = "zombie-late"u8.ToArray() });
            zombie.CommitTransaction(Timeout);
        });
        Assert.Contains(failure.Error.Code, new[] { ErrorCode.Local_Fenced, ErrorCode.ProducerFenced, ErrorCode.InvalidProducerEpoch });
        Assert.True(failure.Error.IsFatal || failure is KafkaTxnRequiresAbortException, $"unexpected error {failure.Error}");

        Send(successor, "txn-fence", "successor-", 0, 2, Timeout);
        successor.CommitTransaction(Timeout);

        var committed = Values(harness.ConsumeFromBeginning("txn-fence", 5, timeout: TimeSpan.FromSeconds(6), configure: c => c.IsolationLevel = IsolationLevel.ReadCommitted));
        Assert.Equal(["successor-0", "successor-1"], committed);
        var everything = Values(harness.ConsumeFromBeginning("txn-fence", 4, timeout: Timeout, configure: c => c.IsolationLevel = IsolationLevel.ReadUncommitted));
        Assert.Equal(["zombie-0", "zombie-1", "successor-0", "successor-1"], everything);
    }

    [Fact]
    public async Task BrokerRestart_CommittedStaysCommittedAndTheOpenTransactionIsAbortedByTheNextInstance()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("txn-restart", 1);
        using (var before = TransactionalProducer(harness, "txn-restart-id"))
        {
            before.InitTransactions(Timeout);
            Send(before, "txn-restart", "committed-", 0, 2, Timeout);
            before.CommitTransaction(Timeout);
            Send(before, "txn-restart", "open-", 0, 2, Timeout);
        }

        await harness.RestartAsync();
        Assert.Equal(3, harness.Store.GetPartition("txn-restart", 0).LastStableOffset);

        using var after = TransactionalProducer(harness, "txn-restart-id");
        after.InitTransactions(Timeout);
        Send(after, "txn-restart", "after-", 0, 1, Timeout);
        after.CommitTransaction(Timeout);

        var committed = Values(harness.ConsumeFromBeginning("txn-restart", 5, timeout: TimeSpan.FromSeconds(6), configure: c => c.IsolationLevel = IsolationLevel.ReadCommitted));
        Assert.Equal(["committed-0", "committed-1", "after-0"], committed);
    }

    private static IProducer<byte[]?, byte[]?> TransactionalProducer(BrokerHarness harness, string transactionalId) =>
        new ProducerBuilder<byte[]?, byte[]?>(harness.ProducerConfig(c =>
        {
            c.TransactionalId = transactionalId;
            c.TransactionTimeoutMs = 60_000;
        })).Build();

    /// <summary>Begins a transaction and sends values prefix+first.. spread over the topic's partitions, waiting for every delivery.</summary>
    private static void Send(IProducer<byte[]?, byte[]?> producer, string topic, string prefix, int first, int count, TimeSpan timeout)
    {
        producer.BeginTransaction();
        for (var i = first; i < first + count; i++)
        {
            producer.Produce(topic, new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes("k" + i), Value = Encoding.UTF8.GetBytes(prefix + i) });
        }

        Assert.Equal(0, producer.Flush(timeout));
    }

    private static ConsumeResult<byte[]?, byte[]?> ConsumeOne(IConsumer<byte[]?, byte[]?> consumer)
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

    private static List<string> Values(List<ConsumeResult<byte[]?, byte[]?>> results) =>
        results.Select(r => Encoding.UTF8.GetString(r.Message.Value!)).ToList();
}
