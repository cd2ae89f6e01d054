using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Tests.Support;
using Freshet.Log;

namespace Freshet.Broker.Tests.KafkaStreams;

/// <summary>
/// An unmodified Streamiz.Kafka.Net application (a Kafka Streams port: consumer group, changelog and repartition
/// topics it creates itself, transactions) runs against the broker in a separate OS process and gives the results
/// a failure-free computation gives: a stateless map, a count with its changelog, a count after a key change (a
/// repartition topic), a windowed count; with exactly-once across a SIGKILL of the application and a restart.
/// </summary>
public sealed class StreamizApplicationTests
{
    private const int Keys = 10;
    private const int Values = 5;
    private const int Partitions = 2;

    /// <summary>
    /// Event times start at the test's start, one record per second, so the records span several one-minute windows.
    /// Recent, because retention (7 days by default) deletes older records once maintenance runs.
    /// </summary>
    private readonly DateTimeOffset _firstEventTime = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Topology_AtLeastOnce_ResultsEqualAFailureFreeComputation()
    {
        await using var harness = await BrokerHarness.StartAsync();
        await CreateTopicsAsync(harness);
        var events = MakeEvents(0, 300);
        await ProduceAsync(harness, events);

        using var application = await StreamizApplication.StartAsync(harness.BootstrapServers, "streamiz-alo", exactlyOnce: false);
        var results = ReadResults(harness, events, application);
        await AssertRepartitionTopicPurgedAsync(harness, "streamiz-alo", application);
        await application.StopAsync();

        AssertResults(events, results, application.Output);
        await AssertInternalTopicsAsync(harness, "streamiz-alo");
    }

    [Fact]
    public async Task Topology_ExactlyOnceAcrossASigkill_EveryUpdateWrittenOnce()
    {
        // Maintenance aborts the killed instance's open transactions once their timeout passes, as `freshet broker` does.
        await using var harness = await BrokerHarness.StartAsync(storeOptions: new LogStoreOptions { MaintenanceInterval = TimeSpan.FromSeconds(1) });
        await CreateTopicsAsync(harness);
        var events = MakeEvents(0, 400);

        // Records keep arriving while the application runs, so it is killed with transactions open and
        // records read but not committed: those are processed again by the next instance, and the first
        // attempt's outputs must never become visible to read_committed consumers.
        await ProduceAsync(harness, events.Take(10).ToList());
        Task producing;
        using (var application = await StreamizApplication.StartAsync(harness.BootstrapServers, "streamiz-eos", exactlyOnce: true))
        {
            producing = Task.Run(() => ProduceAsync(harness, events.Skip(10).ToList(), pauseEvery: 2));
            WaitUntil(harness, results => results.CountUpdates >= 100, ResultTimeout, () => application.Output);
            application.Kill();
        }

        using var restarted = await StreamizApplication.StartAsync(harness.BootstrapServers, "streamiz-eos", exactlyOnce: true);
        await producing;
        var results = ReadResults(harness, events, restarted);
        await restarted.StopAsync();

        AssertResults(events, results, restarted.Output);
    }

    private List<Event> MakeEvents(int first, int count) =>
        Enumerable.Range(first, count)
            .Select(i => new Event($"k{i % Keys}", $"v{i * 7 % Values}", _firstEventTime.AddSeconds(i)))
            .ToList();

    private static async Task CreateTopicsAsync(BrokerHarness harness)
    {
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync(
            new[] { "events", "upper", "counts", "counts-by-value", "window-counts" }
                .Select(name => new TopicSpecification { Name = name, NumPartitions = Partitions, ReplicationFactor = 1 }));
    }

    /// <summary>Produces the events in order; with <paramref name="pauseEvery"/>, waits 20 ms before each that many records.</summary>
    private static async Task ProduceAsync(BrokerHarness harness, IReadOnlyList<Event> events, int pauseEvery = 0)
    {
        using var producer = new ProducerBuilder<string, string>(harness.ProducerConfig(c => c.EnableIdempotence = true)).Build();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (pauseEvery > 0 && i % pauseEvery == 0)
            {
                await Task.Delay(20);
            }

            await producer.ProduceAsync("events", new Message<string, string>
            {
                Key = e.Key,
                Value = e.Value,
                Timestamp = new Timestamp(e.EventTime),
            });
        }
    }

    /// <summary>Reads the committed outputs until every count has reached its final value (or the time is up).</summary>
    private static Results ReadResults(BrokerHarness harness, IReadOnlyList<Event> events, StreamizApplication application)
    {
        var expectedCounts = events.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => (long)g.Count());
        var expectedByValue = events.GroupBy(e => e.Value).ToDictionary(g => g.Key, g => (long)g.Count());
        var expectedWindows = events.GroupBy(WindowKey).ToDictionary(g => g.Key, g => (long)g.Count());
        return WaitUntil(
            harness,
            results => results.Upper.Count >= events.Count
                && HasFinalValues(results.Counts, expectedCounts)
                && HasFinalValues(results.CountsByValue, expectedByValue)
                && HasFinalValues(results.WindowCounts, expectedWindows),
            ResultTimeout,
            () => DescribeLog(harness) + "\n" + application.Output);
    }

    /// <summary>Every partition's positions, for a failure message.</summary>
    private static string DescribeLog(BrokerHarness harness) =>
        string.Join("\n", harness.Store.ListTopics().SelectMany(topic => Enumerable.Range(0, harness.Store.DescribeTopic(topic).Partitions.Count)
            .Select(p => harness.Store.GetPartition(topic, p))
            .Select((partition, p) => $"{topic}/{p}: start {partition.LogStartOffset} lso {partition.LastStableOffset} hw {partition.HighWatermark}")));

    private static bool HasFinalValues(Dictionary<string, List<long>> updates, Dictionary<string, long> expected) =>
        expected.All(pair => updates.TryGetValue(pair.Key, out var values) && values[^1] == pair.Value);

    private static Results WaitUntil(BrokerHarness harness, Func<Results, bool> done, TimeSpan timeout, Func<string> describe)
    {
        var config = harness.ConsumerConfig(c => c.IsolationLevel = IsolationLevel.ReadCommitted);
        using var consumer = new ConsumerBuilder<string, byte[]>(config).Build();
        consumer.Assign(new[] { "upper", "counts", "counts-by-value", "window-counts" }
            .SelectMany(topic => Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning))));
        var results = new Results();
        var deadline = DateTime.UtcNow + timeout;
        while (!done(results))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the outputs did not reach their expected values in {timeout}; read {results}.\n{describe()}");
            }

            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record is null || record.IsPartitionEOF)
            {
                continue;
            }

            switch (record.Topic)
            {
                case "upper":
                    results.Upper.Add(System.Text.Encoding.UTF8.GetString(record.Message.Value));
                    break;
                case "counts":
                    Append(results.Counts, record);
                    results.CountUpdates++;
                    break;
                case "counts-by-value":
                    Append(results.CountsByValue, record);
                    break;
                default:
                    Append(results.WindowCounts, record);
                    break;
            }
        }

        consumer.Close();
        return results;
    }

    private static void Append(Dictionary<string, List<long>> updates, ConsumeResult<string, byte[]> record)
    {
        if (!updates.TryGetValue(record.Message.Key, out var values))
        {
            updates[record.Message.Key] = values = [];
        }

        values.Add(BitConverter.ToInt64(record.Message.Value));
    }

    /// <summary>
    /// Every count's updates are exactly 1, 2, …, n (a duplicate would repeat a value or run ahead of the input;
    /// a loss would skip one), and the stateless output holds each input once.
    /// </summary>
    private static void AssertResults(IReadOnlyList<Event> events, Results results, string applicationOutput)
    {
        Assert.True(
            events.Select(e => e.Value.ToUpperInvariant()).Order().SequenceEqual(results.Upper.Order()),
            $"upper holds {results.Upper.Count} values for {events.Count} inputs.\n{applicationOutput}");
        AssertEveryUpdateOnce(events.GroupBy(e => e.Key), results.Counts, "counts");
        AssertEveryUpdateOnce(events.GroupBy(e => e.Value), results.CountsByValue, "counts-by-value");
        AssertEveryUpdateOnce(events.GroupBy(WindowKey), results.WindowCounts, "window-counts");
    }

    private static void AssertEveryUpdateOnce(IEnumerable<IGrouping<string, Event>> groups, Dictionary<string, List<long>> updates, string topic)
    {
        var expected = groups.ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected.Keys.Order(), updates.Keys.Order());
        foreach (var (key, count) in expected)
        {
            Assert.True(
                updates[key].SequenceEqual(Enumerable.Range(1, count).Select(i => (long)i)),
                $"{topic}[{key}] was updated {string.Join(",", updates[key])}; expected 1..{count}");
        }
    }

    /// <summary>
    /// Records of the repartition topic that every downstream task has committed are deleted with DeleteRecords,
    /// as Kafka Streams does: the topic's log start moves up while the application runs.
    /// </summary>
    private static async Task AssertRepartitionTopicPurgedAsync(BrokerHarness harness, string applicationId, StreamizApplication application)
    {
        var repartition = harness.Store.ListTopics().Single(t => t.StartsWith(applicationId, StringComparison.Ordinal) && t.EndsWith("-repartition", StringComparison.Ordinal));
        var deadline = DateTime.UtcNow + ResultTimeout;
        while (Enumerable.Range(0, Partitions).Any(p => harness.Store.GetPartition(repartition, p).LogStartOffset == 0))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{repartition} was never purged.\n{DescribeLog(harness)}\n{application.Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>The changelog topics are compacted and the repartition topic exists, as Kafka Streams creates them.</summary>
    private static async Task AssertInternalTopicsAsync(BrokerHarness harness, string applicationId)
    {
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        var topics = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Select(t => t.Topic).ToHashSet();
        var changelog = $"{applicationId}-counts-store-changelog";
        Assert.Contains(changelog, topics);
        Assert.Contains(topics, t => t.StartsWith(applicationId, StringComparison.Ordinal) && t.EndsWith("-repartition", StringComparison.Ordinal));
        var described = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = changelog }]);
        Assert.Equal("compact", described.Single().Entries["cleanup.policy"].Value);
    }

    private static string WindowKey(Event e)
    {
        var start = e.EventTime.ToUnixTimeMilliseconds() / 60_000 * 60_000;
        return $"{e.Key}@{start}";
    }

    private sealed record Event(string Key, string Value, DateTimeOffset EventTime);

    private sealed class Results
    {
        public List<string> Upper { get; } = [];

        public Dictionary<string, List<long>> Counts { get; } = [];

        public Dictionary<string, List<long>> CountsByValue { get; } = [];

        public Dictionary<string, List<long>> WindowCounts { get; } = [];

        public int CountUpdates { get; set; }

        public override string ToString() =>
            $"{Upper.Count} upper, {CountUpdates} count updates, {CountsByValue.Values.Sum(v => v.Count)} by-value updates, {WindowCounts.Values.Sum(v => v.Count)} window updates; "
            + $"counts {Describe(Counts)}; by value {Describe(CountsByValue)}; windows {Describe(WindowCounts)}";

        private static string Describe(Dictionary<string, List<long>> updates) =>
            string.Join(" ", updates.OrderBy(pair => pair.Key, StringComparer.Ordinal).Take(12).Select(pair => $"{pair.Key}={string.Join(",", pair.Value)}"));
    }
}
