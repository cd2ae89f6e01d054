using Confluent.Kafka;
using Freshet.Streaming.Application.Repartition;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Application.Repartition;

/// <summary>
/// <see cref="RepartitionSourceReader{T}"/> against a real Freshet broker: event time comes from the upstream tasks'
/// markers (minimum over the active ones, held back by a silent one), positions carry the upstream states, and bad
/// records fail with their location.
/// </summary>
public sealed class RepartitionSourceReaderTests : IAsyncLifetime
{
    private const long Final = long.MaxValue;
    private InProcessBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await InProcessBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public void Watermark_HeldBackUntilEveryUpstreamTaskSentAMarker_ThenTheMinimum()
    {
        _broker.Store.CreateTopic("t", 1);
        using var producer0 = RepartitionTestKit.Producer(_broker);
        using var producer1 = RepartitionTestKit.Producer(_broker);
        var upstream0 = RepartitionTestKit.Writer("t", 1, new FixedTargetRouter<string>(0), upstreamTask: 0, producer0);
        var upstream1 = RepartitionTestKit.Writer("t", 1, new FixedTargetRouter<string>(0), upstreamTask: 1, producer1);
        using var driver = new RepartitionTestKit.ReaderDriver<string>(RepartitionTestKit.Reader<string>(_broker, "t", 0, upstreamTasks: 2));

        OperatorSetups.Feed(upstream0, [("a", 1_000L)]);
        upstream0.Watermark(900);
        upstream0.Finish();
        driver.PollUntilOffset(EndOffset("t", 0));
        Assert.Equal(["a@1000"], driver.Events);

        upstream1.Watermark(500);
        upstream1.Finish();
        driver.PollUntilOffset(EndOffset("t", 0));
        upstream1.Watermark(2_000);
        upstream1.Finish();
        driver.PollUntilOffset(EndOffset("t", 0));
        Assert.Equal(["a@1000", "wm 500", "wm 900"], driver.Events);

        upstream0.Watermark(Final);
        upstream0.Finish();
        driver.PollUntilOffset(EndOffset("t", 0));
        upstream1.Watermark(Final);
        upstream1.Finish();
        driver.PollToEnd();
        Assert.Equal(["a@1000", "wm 500", "wm 900", "wm 2000", $"wm {Final}"], driver.Events);
    }

    [Fact]
    public void IdleUpstreamTask_DoesNotHoldBack_AndCountsAgainOnceItWritesRecords()
    {
        _broker.Store.CreateTopic("t", 1);
        using var producer = RepartitionTestKit.Producer(_broker);
        var upstream0 = RepartitionTestKit.Writer("t", 1, new FixedTargetRouter<string>(0), upstreamTask: 0, producer);
        var upstream1 = RepartitionTestKit.Writer("t", 1, new FixedTargetRouter<string>(0), upstreamTask: 1, producer);
        using var driver = new RepartitionTestKit.ReaderDriver<string>(RepartitionTestKit.Reader<string>(_broker, "t", 0, upstreamTasks: 2));

        // Each step is read before the next is written: which markers share a poll must not matter.
        upstream1.Idle();
        upstream0.Watermark(100);
        upstream0.Finish();
        driver.PollUntilOffset(EndOffset("t", 0));
        upstream0.Watermark(300);
        upstream0.Finish();
        driver.PollUntilOffset(EndOffset("t", 0));
        Assert.Equal(["wm 100", "wm 300"], driver.Events);

        // Task 1 wakes up at its old watermark (none): it holds the minimum again until it advances.
        OperatorSetups.Feed(upstream1, [("b", 350L)]);
        upstream0.Watermark(500);
        upstream0.Finish();
        driver.PollUntilOffset(EndOffset("t", 0));
        Assert.Equal(["wm 100", "wm 300", "b@350"], driver.Events);

        upstream1.Watermark(400);
        upstream1.Finish();
        driver.PollUntilOffset(EndOffset("t", 0));
        Assert.Equal(["wm 100", "wm 300", "b@350", "wm 400"], driver.Events);
    }

    [Fact]
    public void EveryUpstreamTaskIdle_TheLargestWatermarkReachedThenIdle()
    {
        _broker.Store.CreateTopic("t", 1);
        using var producer = RepartitionTestKit.Producer(_broker);
        var upstream0 = RepartitionTestKit.Writer("t", 1, new FixedTargetRouter<string>(0), upstreamTask: 0, producer);
        var upstream1 = RepartitionTestKit.Writer("t", 1, new FixedTargetRouter<string>(0), upstreamTask: 1, producer);
        using var driver = new RepartitionTestKit.ReaderDriver<string>(RepartitionTestKit.Reader<string>(_broker, "t", 0, upstreamTasks: 2));

        upstream0.Watermark(100);
        upstream1.Watermark(700);
        upstream1.Finish();
        driver.PollUntilOffset(EndOffset("t", 0));
        upstream0.Idle();
        upstream0.Finish();
        driver.PollUntilOffset(EndOffset("t", 0));
        upstream1.Idle();
        upstream1.Finish();
        driver.PollUntilOffset(EndOffset("t", 0));
        Assert.Equal(["wm 100", "wm 700", "idle"], driver.Events);

        // Upstream task 1 restarted from before its markers says idle again, from a lower watermark: no second signal.
        var restarted = RepartitionTestKit.Writer("t", 1, new FixedTargetRouter<string>(0), upstreamTask: 1, producer);
        restarted.Idle();
        restarted.Finish();
        driver.PollUntilOffset(EndOffset("t", 0));
        Assert.Equal(["wm 100", "wm 700", "idle"], driver.Events);
    }

    [Fact]
    public void EventTimes_AnyValueIncludingNoneAndBeforeTheEpoch_AndEmptyValues_ReadBackExactly()
    {
        _broker.Store.CreateTopic("t", 1);
        using var producer = RepartitionTestKit.Producer(_broker);
        var upstream = RepartitionTestKit.Writer("t", 1, new FixedTargetRouter<string>(0), upstreamTask: 0, producer);
        using var driver = new RepartitionTestKit.ReaderDriver<string>(RepartitionTestKit.Reader<string>(_broker, "t", 0, upstreamTasks: 1));

        long[] times = [long.MinValue, -5, -1, 0, 1, 1_700_000_000_000, long.MaxValue];
        OperatorSetups.Feed(upstream, times.Select((t, i) => (i == 0 ? "" : "v" + i, t)));
        upstream.Watermark(Final);
        upstream.Finish();
        driver.PollToEnd();
        Assert.Equal([.. times.Select((t, i) => (i == 0 ? "" : "v" + i) + "@" + t), $"wm {Final}"], driver.Events);
    }

    [Fact]
    public void MarkerFromAnUpstreamTaskTheReaderDoesNotKnow_FailsNamingTheTaskTheCountAndTheOffset()
    {
        _broker.Store.CreateTopic("t", 1);
        using var producer = RepartitionTestKit.Producer(_broker);
        var stranger = RepartitionTestKit.Writer("t", 1, new FixedTargetRouter<string>(0), upstreamTask: 2, producer);
        OperatorSetups.Feed(stranger, [("a", 10L)]);
        stranger.Watermark(5);
        stranger.Finish();
        using var driver = new RepartitionTestKit.ReaderDriver<string>(RepartitionTestKit.Reader<string>(_broker, "t", 0, upstreamTasks: 2));

        var error = Assert.Throws<InvalidDataException>(driver.PollToEnd);
        Assert.Contains("t/0 offset 1 comes from upstream task 2, but the upstream sub-topology has 2 tasks", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedMarkerHeader_FailsWithTheRecordsLocationAndTheProblem()
    {
        _broker.Store.CreateTopic("t", 1);
        using (var producer = RepartitionTestKit.Producer(_broker))
        {
            await producer.ProduceAsync(new TopicPartition("t", 0), new Message<byte[]?, byte[]?> { Headers = new Headers { { RepartitionRecordFormat.WatermarkHeader, [1, 2, 3] } } });
        }

        using var driver = new RepartitionTestKit.ReaderDriver<string>(RepartitionTestKit.Reader<string>(_broker, "t", 0, upstreamTasks: 1));
        var error = Assert.Throws<InvalidDataException>(driver.PollToEnd);
        Assert.Contains("The record at t/0 offset 0 is not a repartition record", error.Message, StringComparison.Ordinal);
        Assert.Contains("has 3 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValueTheSerializerRefuses_FailsWithTheRecordsLocation()
    {
        _broker.Store.CreateTopic("t", 1);
        using (var producer = RepartitionTestKit.Producer(_broker))
        {
            await producer.ProduceAsync(new TopicPartition("t", 0), RepartitionRecordFormat.DataMessage([1, 2, 3], 10));
        }

        using var driver = new RepartitionTestKit.ReaderDriver<long>(RepartitionTestKit.Reader<long>(_broker, "t", 0, upstreamTasks: 1));
        var error = Assert.Throws<InvalidDataException>(driver.PollToEnd);
        Assert.Contains("Cannot deserialize the record at t/0 offset 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AbortedTransaction_ItsRecordsAndMarkersAreNeverRead()
    {
        _broker.Store.CreateTopic("t", 1);
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = _broker.BootstrapServers, TransactionalId = "app-0_0", LingerMs = 2 }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(15));

        producer.BeginTransaction();
        var failedAttempt = RepartitionTestKit.Writer("t", 1, new FixedTargetRouter<string>(0), upstreamTask: 0, producer);
        OperatorSetups.Feed(failedAttempt, [("lost", 10L)]);
        failedAttempt.Watermark(5_000);
        producer.AbortTransaction(TimeSpan.FromSeconds(15));

        // The task restarts from its checkpoint with a new writer in a new transaction.
        producer.BeginTransaction();
        var retry = RepartitionTestKit.Writer("t", 1, new FixedTargetRouter<string>(0), upstreamTask: 0, producer);
        OperatorSetups.Feed(retry, [("kept", 20L)]);
        retry.Watermark(30);
        retry.Watermark(Final);
        Assert.Null(retry.SnapshotStateWrapped(1));
        producer.CommitTransaction(TimeSpan.FromSeconds(15));

        using var driver = new RepartitionTestKit.ReaderDriver<string>(RepartitionTestKit.Reader<string>(_broker, "t", 0, upstreamTasks: 1));
        driver.PollToEnd();

        // Which of the committed markers share a poll is up to the fetches; the aborted ones are never seen.
        Assert.Equal(["kept@20"], driver.Events.Where(e => !e.StartsWith("wm ", StringComparison.Ordinal)));
        Assert.Equal($"wm {Final}", driver.Events[^1]);
        Assert.DoesNotContain("wm 5000", driver.Events);
    }

    [Fact]
    public void RestoredPosition_ResumesAfterTheLastRecordWithTheUpstreamTasksStatesItHad()
    {
        _broker.Store.CreateTopic("t", 1);
        using var producer = RepartitionTestKit.Producer(_broker);
        var upstream0 = RepartitionTestKit.Writer("t", 1, new FixedTargetRouter<string>(0), upstreamTask: 0, producer);
        var upstream1 = RepartitionTestKit.Writer("t", 1, new FixedTargetRouter<string>(0), upstreamTask: 1, producer);
        OperatorSetups.Feed(upstream0, [("a", 150L)]);
        upstream0.Watermark(200);
        upstream1.Idle();
        upstream1.Finish();

        byte[] position;
        using (var first = new RepartitionTestKit.ReaderDriver<string>(RepartitionTestKit.Reader<string>(_broker, "t", 0, upstreamTasks: 2)))
        {
            first.PollUntilOffset(EndOffset("t", 0));
            Assert.Equal(["a@150", "wm 200"], first.Events);
            position = first.Reader.SnapshotPosition();
        }

        OperatorSetups.Feed(upstream0, [("b", 250L)]);
        upstream0.Watermark(300);
        upstream0.Finish();

        // Task 1 sends nothing more: only the restored state says it is idle, else it would hold 300 back.
        using var second = new RepartitionTestKit.ReaderDriver<string>(RepartitionTestKit.Reader<string>(_broker, "t", 0, upstreamTasks: 2), position);
        second.PollUntilOffset(EndOffset("t", 0));
        Assert.Equal(["wm 200", "b@250", "wm 300"], second.Events);
    }

    [Fact]
    public void CommittedStart_ReadsFromTheGroupsOffset()
    {
        _broker.Store.CreateTopic("t", 1);
        using var producer = RepartitionTestKit.Producer(_broker);
        var upstream = RepartitionTestKit.Writer("t", 1, new FixedTargetRouter<string>(0), upstreamTask: 0, producer);
        OperatorSetups.Feed(upstream, [("a", 10L), ("b", 20L), ("c", 30L)]);
        upstream.Watermark(Final);
        upstream.Finish();
        using (var committer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = _broker.BootstrapServers, GroupId = "app" }).Build())
        {
            committer.Commit([new TopicPartitionOffset("t", 0, 2)]);
        }

        using var driver = new RepartitionTestKit.ReaderDriver<string>(RepartitionTestKit.Reader<string>(_broker, "t", 0, upstreamTasks: 1, StartingOffsets.Committed("app")));
        driver.PollToEnd();
        Assert.Equal(["c@30", $"wm {Final}"], driver.Events);
    }

    [Fact]
    public void Open_PartitionTheTopicLacks_FailsNamingTheTopicAndItsPartitionCount()
    {
        _broker.Store.CreateTopic("t", 2);
        using var reader = RepartitionTestKit.Reader<string>(_broker, "t", 2, upstreamTasks: 1);
        var error = Assert.Throws<InvalidOperationException>(reader.Open);
        Assert.Contains("Repartition topic 't' has 2 partitions; the task of partition 2 cannot read it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RestorePosition_WrittenForAnotherUpstreamTaskCount_Refused()
    {
        var position = new RepartitionReaderPosition(5, [UpstreamStatus.Active], [10]).Encode();
        using var reader = RepartitionTestKit.Reader<string>(_broker, "t", 0, upstreamTasks: 2);
        var error = Assert.Throws<ArgumentException>(() => reader.RestorePosition(position));
        Assert.Contains("written for 1 upstream tasks; the upstream sub-topology now has 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Position_RoundTripsAndRefusesHostileBytes()
    {
        var position = new RepartitionReaderPosition(42, [UpstreamStatus.Unknown, UpstreamStatus.Active, UpstreamStatus.Idle], [long.MinValue, 7, long.MaxValue]);
        var decoded = RepartitionReaderPosition.Decode(position.Encode());
        Assert.Equal(42, decoded.NextOffset);
        Assert.Equal(position.Statuses, decoded.Statuses);
        Assert.Equal(position.Watermarks, decoded.Watermarks);

        var bytes = position.Encode();
        Assert.Throws<ArgumentException>(() => RepartitionReaderPosition.Decode(bytes[..^1]));
        Assert.Throws<ArgumentException>(() => RepartitionReaderPosition.Decode([2, .. bytes[1..]]));
        var badStatus = (byte[])bytes.Clone();
        badStatus[13] = 9;
        Assert.Contains("unknown status 9", Assert.Throws<ArgumentException>(() => RepartitionReaderPosition.Decode(badStatus)).Message, StringComparison.Ordinal);
        var hugeCount = (byte[])bytes.Clone();
        hugeCount[9] = 0x7F;
        Assert.Throws<ArgumentException>(() => RepartitionReaderPosition.Decode(hugeCount));
    }

    private long EndOffset(string topic, int partition) => _broker.Store.GetPartition(topic, partition).LogEndOffset;
}
