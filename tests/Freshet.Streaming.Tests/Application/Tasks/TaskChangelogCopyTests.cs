using System.Text;
using Confluent.Kafka;
using Freshet.Log.Topics;
using Freshet.Streaming.Application.Assignment;
using Freshet.Streaming.Application.Instance;
using Freshet.Streaming.Application.Tasks;
using Freshet.Streaming.Application.Topology;
using Freshet.Streaming.Connectors.Kafka;
using Serializers = Freshet.Streaming.Serialization.Serializers;
using Freshet.Streaming.Tests.Application.Membership;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Application.Tasks;

/// <summary>
/// An instance's copy of a task's changelogs against a real broker: a cold copy reads everything, a warm one only the
/// tail, aborted writes never enter it, a recreated topic is read again from the start, and a standby replica keeps
/// the copy current so that taking the task over reads nothing it already has.
/// </summary>
[Collection(ApplicationTimingCollection.Name)]
public sealed class TaskChangelogCopyTests : IAsyncLifetime
{
    private const string Topic = "app-ops-changelog";
    private const int Partition = 1;
    private InProcessBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _broker = await InProcessBroker.StartAsync();
        _broker.Store.CreateTopic(Topic, 2, new TopicConfig { CleanupPolicy = CleanupPolicy.Compact });
    }

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public void WarmCopy_ReadsOnlyTheTail_AndEndsLikeAColdOne()
    {
        using var producer = TransactionalProducer("writer");
        Commit(producer, [State("count", "a", "1"), State("count", "b", "1"), Section("timers", "t1")]);
        var copy = new TaskChangelogCopy();
        CatchUp(copy);
        Assert.Equal(3, copy.LastRestoredRecords);

        Commit(producer, [State("count", "a", "2"), State("count", "b", null), Section("timers", "t2")]);
        Abort(producer, [State("count", "c", "aborted"), Section("timers", "aborted")]);
        Commit(producer, [State("count", "d", "1")]);
        CatchUp(copy);

        Assert.Equal(4, copy.LastRestoredRecords);
        var cold = new TaskChangelogCopy();
        CatchUp(cold);
        Assert.Equal(7, cold.LastRestoredRecords);
        foreach (var read in new[] { copy, cold })
        {
            Assert.Equal(["a=2", "d=1"], Entries(read));
            Assert.Equal("t2", Encoding.UTF8.GetString(read.Sections["ops"]["timers"]));
        }

        Assert.Equal(copy.OffsetSum, cold.OffsetSum);
        CatchUp(copy);
        Assert.Equal(0, copy.LastRestoredRecords);
    }

    [Fact]
    public void SavedCopy_LoadsForTheSameGraph_AndIsRefusedWhenDamagedOrOfAnotherGraph()
    {
        using var producer = TransactionalProducer("writer");
        Commit(producer, [State("count", "a", "1"), State("count", "b", "2"), Section("timers", "t1")]);
        var copy = new TaskChangelogCopy();
        CatchUp(copy);
        var path = Path.Combine(_broker.Directory, "copies", "0_1.copy");
        copy.SaveIfChanged(path, "graph-1");

        var loaded = TaskChangelogCopy.TryLoad(path, "graph-1", out var problem);
        Assert.Null(problem);
        Assert.Equal(["a=1", "b=2"], Entries(loaded!));
        Assert.Equal("t1", Encoding.UTF8.GetString(loaded!.Sections["ops"]["timers"]));
        Assert.Equal(copy.OffsetSum, loaded.OffsetSum);
        Commit(producer, [State("count", "c", "3")]);
        CatchUp(loaded);
        Assert.Equal(1, loaded.LastRestoredRecords);

        Assert.Null(TaskChangelogCopy.TryLoad(path, "graph-2", out problem));
        Assert.Contains("belongs to the job graph graph-1, not graph-2", problem, StringComparison.Ordinal);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        Assert.Null(TaskChangelogCopy.TryLoad(path, "graph-1", out problem));
        Assert.Contains("checksum", problem, StringComparison.Ordinal);
        File.WriteAllBytes(path, bytes[..7]);
        Assert.Null(TaskChangelogCopy.TryLoad(path, "graph-1", out problem));
        Assert.NotNull(problem);
        Assert.Null(TaskChangelogCopy.TryLoad(Path.Combine(_broker.Directory, "none.copy"), "graph-1", out problem));
        Assert.Null(problem);
    }

    [Fact]
    public void CopyBeyondARecreatedTopicsEnd_IsReadAgainFromTheStart()
    {
        using (var producer = TransactionalProducer("writer"))
        {
            Commit(producer, [.. Enumerable.Range(0, 5).Select(i => State("count", "k" + i, "old"))]);
        }

        var copy = new TaskChangelogCopy();
        CatchUp(copy);
        _broker.Store.DeleteTopic(Topic);
        _broker.Store.CreateTopic(Topic, 2, new TopicConfig { CleanupPolicy = CleanupPolicy.Compact });
        using (var producer = TransactionalProducer("writer-2"))
        {
            Commit(producer, [State("count", "new", "1")]);
        }

        CatchUp(copy);

        Assert.Equal(["new=1"], Entries(copy));
    }

    [Fact]
    public async Task Standby_KeepsTheCopyCurrent_SoTakingOverReadsNothingNew()
    {
        using var producer = TransactionalProducer("writer");
        Commit(producer, [State("count", "a", "1"), Section("timers", "t1")]);
        var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _broker.BootstrapServers }).Build();
        var context = Context(admin);
        var copy = new TaskChangelogCopy();
        var standby = new StandbyTask(context, new TaskId(0, Partition), copy);
        standby.Start();

        await Poll.UntilAsync(() => standby.AppliedRecords == 2 && standby.Lag == 0, () => $"applied {standby.AppliedRecords}, lag {standby.Lag}");
        Commit(producer, [State("count", "a", "2"), State("count", "b", "1")]);
        Abort(producer, [State("count", "z", "aborted")]);
        await Poll.UntilAsync(() => standby.AppliedRecords == 4 && standby.Lag == 0, () => $"applied {standby.AppliedRecords}, lag {standby.Lag}");
        await standby.StopAsync();

        CatchUp(copy);
        Assert.Equal(0, copy.LastRestoredRecords);
        Assert.Equal(["a=2", "b=1"], Entries(copy));
        context.Topics.Dispose();
    }

    /// <summary>A context whose sub-topology 0 is one Kafka source with the uid "ops", whose changelog is <see cref="Topic"/>.</summary>
    private ApplicationContext Context(IAdminClient admin)
    {
        var options = new StreamEnvironmentOptions { Application = new ApplicationOptions { ApplicationId = "app", BootstrapServers = _broker.BootstrapServers } };
        var env = StreamEnvironment.Create(options);
        _broker.Store.CreateTopic("in", 2);
        env.FromKafka(new KafkaSourceOptions { BootstrapServers = _broker.BootstrapServers, Topic = "in" }, Serializers.Utf8String).Uid("ops")
            .SinkToKafka(new KafkaSinkOptions { BootstrapServers = _broker.BootstrapServers, Topic = "out" }, Serializers.Utf8String).Uid("out");
        var topology = ApplicationTopology.Build("app", env.Nodes);
        Assert.Equal(Topic, ApplicationTaskGraph.ChangelogTopics(topology, 0, new Dictionary<string, int>(), 128)["ops"]);
        return new ApplicationContext(options.Application!, options, topology, [2], new Dictionary<string, int>(), new InternalTopics(admin, -1, TimeSpan.FromSeconds(10)));
    }

    private void CatchUp(TaskChangelogCopy copy) =>
        copy.CatchUp(new Dictionary<string, string> { ["ops"] = Topic }, Partition, new ConsumerConfig { BootstrapServers = _broker.BootstrapServers }, TimeSpan.FromSeconds(10), CancellationToken.None);

    private static List<string> Entries(TaskChangelogCopy copy) =>
        [.. copy.EntriesOf("ops", 0).Select(static e => $"{Encoding.UTF8.GetString(e.Key)}={Encoding.UTF8.GetString(e.Value)}").Order(StringComparer.Ordinal)];

    private static (byte[] Key, byte[]? Value) State(string state, string key, string? value) =>
        (OperatorChangelogKey.ForState(0, state, Encoding.UTF8.GetBytes(key)).Encode(), value is null ? null : Encoding.UTF8.GetBytes(value));

    private static (byte[] Key, byte[]? Value) Section(string name, string value) =>
        (OperatorChangelogKey.ForSection(name).Encode(), Encoding.UTF8.GetBytes(value));

    private IProducer<byte[], byte[]?> TransactionalProducer(string id)
    {
        var producer = new ProducerBuilder<byte[], byte[]?>(new ProducerConfig { BootstrapServers = _broker.BootstrapServers, TransactionalId = id }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(10));
        return producer;
    }

    private static void Commit(IProducer<byte[], byte[]?> producer, IEnumerable<(byte[] Key, byte[]? Value)> records)
    {
        Write(producer, records);
        producer.CommitTransaction(TimeSpan.FromSeconds(10));
    }

    private static void Abort(IProducer<byte[], byte[]?> producer, IEnumerable<(byte[] Key, byte[]? Value)> records)
    {
        Write(producer, records);
        producer.Flush(TimeSpan.FromSeconds(10));
        producer.AbortTransaction(TimeSpan.FromSeconds(10));
    }

    private static void Write(IProducer<byte[], byte[]?> producer, IEnumerable<(byte[] Key, byte[]? Value)> records)
    {
        producer.BeginTransaction();
        foreach (var (key, value) in records)
        {
            producer.Produce(new TopicPartition(Topic, Partition), new Message<byte[], byte[]?> { Key = key, Value = value });
        }
    }
}
