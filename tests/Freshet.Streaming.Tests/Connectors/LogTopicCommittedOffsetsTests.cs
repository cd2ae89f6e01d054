using Freshet.Log;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Connectors;

public sealed class LogTopicCommittedOffsetsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-committed-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Source_CommittedStart_ReadsFromGroupOffsetsAndFallsBackWhereNoCommit()
    {
        using var store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("t", 3);
        for (var p = 0; p < 3; p++)
        {
            LogTopics.Append(store, "t", p, Enumerable.Range(0, 10).Select(i => ((long)i, "p" + p, (long)i)));
        }

        store.GroupOffsets.Commit("readers", "t", 0, 7);
        store.GroupOffsets.Commit("readers", "t", 1, 10);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var fallbackEarliest = new CollectingSink<Ev>();
        var fallbackLatest = new CollectingSink<Ev>();
        env.FromLogTopic(store, "t", LogTopics.ToEv, new LogSourceOptions { StartingOffsets = StartingOffsets.Committed("readers"), Bounded = true }).SinkTo(fallbackEarliest);
        env.FromLogTopic(store, "t", LogTopics.ToEv, new LogSourceOptions { StartingOffsets = StartingOffsets.Committed("readers", StartingOffsets.Latest), Bounded = true }).SinkTo(fallbackLatest);
        await JobRunner.RunAsync(env);

        // Partition 0 from its commit (7), partition 1 committed at its end, partition 2 has no commit: the fallback.
        string[] expected = ["p0:7", "p0:8", "p0:9", .. Enumerable.Range(0, 10).Select(i => "p2:" + i)];
        Assert.Equal(expected.Order(StringComparer.Ordinal), fallbackEarliest.Results.Select(e => $"{e.Key}:{e.Value}").Order(StringComparer.Ordinal));
        Assert.Equal(["p0:7", "p0:8", "p0:9"], fallbackLatest.Results.Select(e => $"{e.Key}:{e.Value}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Source_CommitToGroup_NextJobStartsWhereThePreviousEnded()
    {
        using var store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("t", 2);
        LogTopics.Append(store, "t", 0, Enumerable.Range(0, 6).Select(i => ((long)i, "a", (long)i)));
        LogTopics.Append(store, "t", 1, Enumerable.Range(0, 4).Select(i => ((long)i, "b", (long)i)));
        var options = new LogSourceOptions { StartingOffsets = StartingOffsets.Committed("job"), CommitToGroup = "job", Bounded = true };

        var first = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var firstSink = new CollectingSink<Ev>();
        first.FromLogTopic(store, "t", LogTopics.ToEv, options).SinkTo(firstSink);
        await JobRunner.RunAsync(first);
        Assert.Equal(10, firstSink.Results.Count);
        Assert.Equal([("t", 0, 6L), ("t", 1, 4L)], store.GroupOffsets.FetchAll("job").Select(c => (c.Topic, c.Partition, c.Offset)));

        LogTopics.Append(store, "t", 0, [(6, "a", 6)]);
        var second = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var secondSink = new CollectingSink<Ev>();
        second.FromLogTopic(store, "t", LogTopics.ToEv, options).SinkTo(secondSink);
        await JobRunner.RunAsync(second);
        Assert.Equal([new Ev("a", 6, 6)], secondSink.Results);
        Assert.Equal(7, store.GroupOffsets.FetchAll("job")[0].Offset);
    }

    [Fact]
    public async Task Source_CommitToGroupUnbounded_CommitsPeriodicallyOnTheJobClock()
    {
        using var store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("t", 1);
        var clock = new ManualClock(1_000_000);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, Clock = clock, BufferTimeout = TimeSpan.FromMilliseconds(5) });
        var sink = new CollectingSink<Ev>();
        env.FromLogTopic(store, "t", LogTopics.ToEv, new LogSourceOptions { CommitToGroup = "live", CommitInterval = TimeSpan.FromSeconds(5) }).Rebalance().SinkTo(sink);
        var job = await env.ExecuteAsync();
        LogTopics.Append(store, "t", 0, [(1, "a", 1), (2, "a", 2)]);
        await JobRunner.WaitUntilAsync(() => sink.Results.Count == 2);
        Assert.Empty(store.GroupOffsets.FetchAll("live"));
        clock.NowMs += 5_000;
        await JobRunner.WaitUntilAsync(() => store.GroupOffsets.FetchAll("live") is [{ Offset: 2 }]);
        await job.CancelAsync();
    }

    [Fact]
    public void Options_EmptyCommitGroup_Rejected()
    {
        Assert.Throws<ArgumentException>(() => new LogSourceOptions { CommitToGroup = " " });
        Assert.Throws<ArgumentException>(() => StartingOffsets.Committed(""));
    }
}
