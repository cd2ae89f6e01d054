using System.Text;
using Freshet.Log;
using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;
using Freshet.Streaming.Windows.Triggers;

namespace Freshet.Streaming.Tests.Checkpoints;

/// <summary>
/// Checkpoints in running jobs: a task failure restarts the job in process from its latest checkpoint and the
/// exactly-once log sink's read_committed output equals a failure-free run; stop-with-savepoint and a restore at
/// another parallelism continue where the job stopped; a corrupt newest checkpoint falls back to the previous one.
/// The job under test keys events, keeps a running sum per key (value state) and counts per key and tumbling window.
/// </summary>
public sealed class CheckpointedJobTests : IDisposable
{
    private const int Keys = 10;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-cpjob-" + Guid.NewGuid().ToString("N"));

    public CheckpointedJobTests()
    {
        Directory.CreateDirectory(_root);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TaskFailure_RestartsFromLatestCheckpoint_OutputExactlyOnce(bool rocksDb)
    {
        const int count = 30_000;
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("out", 3);
        var failed = 0;
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 2,
            BufferTimeout = TimeSpan.FromMilliseconds(5),
            StateBackend = rocksDb ? StateBackend.RocksDb(Path.Combine(_root, "rocks")) : StateBackend.Heap,
            Checkpointing = new CheckpointingOptions
            {
                Directory = Path.Combine(_root, "checkpoints"),
                Interval = TimeSpan.FromMilliseconds(50),
                RestartStrategy = RestartStrategy.FixedDelay(2, TimeSpan.FromMilliseconds(10)),
            },
        });
        var events = env.FromGenerator(i => new Ev("k" + (i % Keys), i, i), count, WatermarkStrategy.ForMonotonousTimestamps<Ev>().WithTimestampAssigner((e, _) => e.Time), recordsPerSecond: 20_000)
            .SetParallelism(1)
            .Map(e =>
            {
                // Fails once, late enough that checkpoints have completed.
                if (e.Value == 20_000 && Interlocked.Exchange(ref failed, 1) == 0)
                {
                    throw new InvalidOperationException("injected failure");
                }

                return e;
            })
            .SetParallelism(1);
        AddStatefulPipeline(events, store);

        var job = await env.ExecuteAsync("failing");
        await job.Completion.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(JobStatus.Finished, job.Status);
        var metrics = job.GetCheckpointMetrics();
        Assert.Equal(1, metrics.Restarts);
        Assert.True(metrics.Completed >= 2, $"completed checkpoints: {metrics.Completed}");
        Assert.NotNull(job.RestoredFrom);
        Assert.True(job.RestoredFrom!.CheckpointId >= 1);
        AssertOutput(Expected(Enumerable.Range(0, count).Select(i => new Ev("k" + (i % Keys), i, i))), ReadCommitted(store, "out"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task StopWithSavepointAtParallelism2_RestoreAtAnotherParallelism_ContinuesExactly(int newParallelism)
    {
        const int count = 40_000;
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("in", 4);
        store.CreateTopic("out", 3);
        var input = Enumerable.Range(0, count).Select(i => new Ev("k" + (i % Keys), i, i)).ToList();
        AppendByKey(store, input);

        var savepoint = Path.Combine(_root, "savepoint");
        var first = CreateLogJob(store, parallelism: 2, savepointToRestore: null, throttle: true);
        var firstJob = await first.ExecuteAsync("rescale");
        await JobRunner.WaitUntilAsync(() => firstJob.GetCheckpointMetrics().Completed >= 2);
        var path = await firstJob.StopWithSavepointAsync(savepoint).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Path.GetFullPath(savepoint), path);
        Assert.Equal(JobStatus.Finished, firstJob.Status);
        var afterFirst = ReadCommitted(store, "out").Count;
        Assert.True(afterFirst > 0, "the first run committed output before the savepoint");

        var second = CreateLogJob(store, newParallelism, savepoint, throttle: false);
        var secondJob = await second.ExecuteAsync("rescale");
        await secondJob.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(secondJob.RestoredFrom is { IsSavepoint: true });
        AssertOutput(Expected(input), ReadCommitted(store, "out"));
    }

    [Fact]
    public async Task CorruptNewestCheckpoint_RestoresThePreviousOne()
    {
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("in", 4);
        store.CreateTopic("out", 3);
        LogTopics.Append(store, "in", 0, Enumerable.Range(0, 20_000).Select(i => ((long)i, "k" + (i % Keys), (long)i)));
        var env = CreateLogJob(store, parallelism: 2, savepointToRestore: null, throttle: true, retained: 3);
        var job = await env.ExecuteAsync("corrupt");
        await JobRunner.WaitUntilAsync(() => job.GetCheckpointMetrics().Completed >= 3);
        await job.CancelAsync();

        var checkpoints = Directory.GetDirectories(Path.Combine(_root, "checkpoints"), "chk-*")
            .Where(d => File.Exists(Path.Combine(d, "_manifest")))
            .OrderByDescending(d => long.Parse(Path.GetFileName(d)[4..], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.True(checkpoints.Count >= 2);
        var newest = checkpoints[0];
        var stateFile = Directory.GetFiles(newest, "state-*").First();
        var bytes = await File.ReadAllBytesAsync(stateFile);
        bytes[^1] ^= 0x5A;
        await File.WriteAllBytesAsync(stateFile, bytes);

        var again = CreateLogJob(store, parallelism: 2, savepointToRestore: null, throttle: false, retained: 3);
        var restarted = await again.ExecuteAsync("corrupt");
        await restarted.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotNull(restarted.RestoredFrom);
        Assert.Equal(checkpoints[1], restarted.RestoredFrom!.Directory);
        Assert.Contains(restarted.RestoredFrom.Skipped, reason => reason.StartsWith(Path.GetFileName(newest) + ":", StringComparison.Ordinal));

        // The newest checkpoint's output was committed before it was damaged, so restoring the previous one writes
        // that output again (at-least-once across a lost checkpoint); the state is still exact: nothing is missing and
        // every running sum ends at the key's total.
        var expected = Expected(Enumerable.Range(0, 20_000).Select(i => new Ev("k" + (i % Keys), i, i)));
        var actual = ReadCommitted(store, "out");
        Assert.Empty(expected.Except(actual));
        for (var k = 0; k < Keys; k++)
        {
            var total = Enumerable.Range(0, 20_000).Where(i => i % Keys == k).Sum(i => (long)i);
            Assert.Equal(total, actual.Where(s => s.StartsWith($"k{k}=", StringComparison.Ordinal)).Max(s => long.Parse(s[(s.IndexOf('=') + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public void StatefulOperatorWithoutCheckpointSupport_IsRejectedAtStart()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 1,
            Checkpointing = new CheckpointingOptions { Directory = Path.Combine(_root, "checkpoints") },
        });
        var events = env.FromCollection([new Ev("a", 1, 1)]);
        // Every built-in operator is covered; an operator that keeps state without snapshotting it must be refused.
        var counting = new OneInputTransformation<Ev, Ev>(env.NextId(), "uncheckpointed counter", 1, events.Node, InputPartitioning.Default, (setup, next) => new UncheckpointedCounter(setup, next));
        env.Add(counting).SinkTo(new CollectingSink<Ev>());
        var error = Assert.Throws<InvalidOperationException>(() => env.ExecuteAsync().GetAwaiter().GetResult());
        Assert.Contains("'uncheckpointed counter' keeps state that checkpoints do not cover", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task SessionWindowsAndTriggerState_StopWithSavepointAndRestoreAtAnotherParallelism_EqualAFailureFreeRun(int newParallelism)
    {
        // Per key, events 10 ms apart in bursts of 50, bursts 1 s apart: one session per key and burst, each merged
        // from 50 windows. Two pipelines on the general window operator: sessions with the default event-time trigger
        // (sessions + cleanup timers in the snapshot), and sessions with a count trigger (merged trigger state).
        const int count = 40_000;
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("in", 4);
        store.CreateTopic("out", 3);
        store.CreateTopic("expected", 3);
        var input = Enumerable.Range(0, count).Select(i => new Ev("k" + (i % Keys), i + (i / 500 * 1000), i)).ToList();
        AppendByKey(store, input);

        var reference = await CreateSessionJob(store, "expected", parallelism: 2, checkpointed: false, savepointToRestore: null, throttle: false).ExecuteAsync("sessions-reference");
        await reference.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        var expected = LogTopics.ReadAll(store, "expected").Select(r => Encoding.UTF8.GetString(r.Value!)).ToList();
        Assert.Contains(expected, line => line.StartsWith("count:", StringComparison.Ordinal));
        Assert.Contains(expected, line => line.StartsWith("session:", StringComparison.Ordinal));

        var savepoint = Path.Combine(_root, "savepoint");
        var first = await CreateSessionJob(store, "out", parallelism: 2, checkpointed: true, savepointToRestore: null, throttle: true).ExecuteAsync("sessions");
        await JobRunner.WaitUntilAsync(() => first.GetCheckpointMetrics().Completed >= 2);
        await first.StopWithSavepointAsync(savepoint).WaitAsync(TimeSpan.FromSeconds(30));
        var afterFirst = ReadCommitted(store, "out").Count;
        Assert.True(afterFirst > 0 && afterFirst < expected.Count, $"the savepoint was taken in the middle of the output ({afterFirst} of {expected.Count})");

        var second = await CreateSessionJob(store, "out", newParallelism, checkpointed: true, savepoint, throttle: false).ExecuteAsync("sessions");
        await second.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Finished, second.Status);
        Assert.True(second.RestoredFrom is { IsSavepoint: true });
        AssertOutput(expected, ReadCommitted(store, "out"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task RocksDbWindowsAndRollingAggregates_SavepointAtParallelism2_RestoreAtAnotherParallelism_EqualTheHeapRun(int newParallelism)
    {
        // Tumbling, sliding and session windows, a window function over every record, and rolling reduce and aggregate,
        // all keeping their state in RocksDB; bursts of 500 events per key 1 s apart, so windows and sessions are open
        // when the savepoint is taken. The reference is a failure-free run on the heap (aligned windows there).
        const int count = 40_000;
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("in", 4);
        store.CreateTopic("out", 3);
        store.CreateTopic("expected", 3);
        AppendByKey(store, [.. Enumerable.Range(0, count).Select(i => new Ev("k" + (i % Keys), i + (i / 500 * 1000), i))]);

        var reference = await CreateRocksDbStateJob(store, "expected", 2, StateBackend.Heap, checkpointed: false, null, throttle: false).ExecuteAsync("reference");
        await reference.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        var expected = LogTopics.ReadAll(store, "expected").Select(r => Encoding.UTF8.GetString(r.Value!)).ToList();
        foreach (var pipeline in new[] { "tumbling:", "sliding:", "sessions:", "process:", "reduce:", "aggregate:" })
        {
            Assert.Contains(expected, line => line.StartsWith(pipeline, StringComparison.Ordinal));
        }

        var rocksDb = StateBackend.RocksDb(Path.Combine(_root, "rocks"));
        var first = await CreateRocksDbStateJob(store, "out", 2, rocksDb, checkpointed: true, null, throttle: true).ExecuteAsync("rocksdb-state");
        await JobRunner.WaitUntilAsync(() => first.GetCheckpointMetrics().Completed >= 2);
        var savepoint = await first.StopWithSavepointAsync(Path.Combine(_root, "savepoint")).WaitAsync(TimeSpan.FromSeconds(30));
        var afterFirst = ReadCommitted(store, "out").Count;
        Assert.True(afterFirst > 0 && afterFirst < expected.Count, $"the savepoint was taken in the middle of the output ({afterFirst} of {expected.Count})");

        // The savepoint holds the windows' contents and the accumulators as RocksDB sections, nothing on the heap's.
        Assert.True(CheckpointStorage.TryLoad(savepoint, out var loaded, out var error), error);
        foreach (var (uid, state) in new[] { ("tumbling", "window-contents"), ("sessions", "window-contents"), ("process", "window-contents"), ("reduce", "accumulators"), ("aggregate", "accumulators") })
        {
            var sections = loaded!.SubtasksOf(uid).Select(subtask => loaded.TryReadState(uid, subtask, out var bytes) ? OperatorStateSections.Decode(bytes) : throw new InvalidDataException(uid)).ToList();
            Assert.Equal(2, sections.Count);
            Assert.All(sections, s => Assert.DoesNotContain(s.Keys, name => name.StartsWith("state:", StringComparison.Ordinal) || name == state));
            var entries = sections.Sum(s => KeyGroupedStateSnapshot.RestoreRaw(s["rocksdb:" + state], 128, (0, 127), null));
            Assert.True(entries > 0, $"'{uid}' has no entries in rocksdb:{state}");
        }

        var second = await CreateRocksDbStateJob(store, "out", newParallelism, rocksDb, checkpointed: true, savepoint, throttle: false).ExecuteAsync("rocksdb-state");
        await second.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Finished, second.Status);
        Assert.True(second.RestoredFrom is { IsSavepoint: true });
        AssertOutput(expected, ReadCommitted(store, "out"));
    }

    [Fact]
    public async Task ProcessingTimeWindows_RestoredFromASavepoint_CountEveryRecordOnce()
    {
        // Which processing-time window a record lands in depends on the clock, but every record is counted in exactly
        // one window: the counts committed by both runs add up to the input, per key, with nothing lost or doubled.
        const int count = 40_000;
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("in", 4);
        store.CreateTopic("out", 3);
        for (var p = 0; p < 4; p++)
        {
            var partition = p;
            LogTopics.Append(store, "in", p, Enumerable.Range(0, count / 4).Select(i => ((long)i, "k" + (((i * 4) + partition) % Keys), 1L)));
        }

        StreamEnvironment Create(int parallelism, string? savepoint, bool throttle)
        {
            var env = StreamEnvironment.Create(new StreamEnvironmentOptions
            {
                Parallelism = parallelism,
                BufferTimeout = TimeSpan.FromMilliseconds(5),
                RestoreFromSavepoint = savepoint,
                Checkpointing = new CheckpointingOptions { Directory = Path.Combine(_root, "checkpoints"), Interval = TimeSpan.FromMilliseconds(50), RestartStrategy = RestartStrategy.None },
            });
            env.FromLogTopic(store, "in", LogTopics.ToEv, new LogSourceOptions { Bounded = true, MaxReadBytes = 4096 })
                .Uid("source")
                .Map(e => Throttled(e, throttle))
                .Uid("throttle")
                .KeyBy(e => e.Key)
                .Window(TumblingProcessingTimeWindows.Of(TimeSpan.FromMilliseconds(100)))
                .Aggregate(new CountSum())
                .Uid("processing-time-windows")
                .SinkToLogTopic(store, "out", w => (Encoding.UTF8.GetBytes(w.Key), Encoding.UTF8.GetBytes($"{w.Key}:{w.Count}")), new LogSinkOptions { DeliveryGuarantee = DeliveryGuarantee.ExactlyOnce })
                .Uid("out");
            return env;
        }

        var first = await Create(2, null, throttle: true).ExecuteAsync("processing-time");
        await JobRunner.WaitUntilAsync(() => first.GetCheckpointMetrics().Completed >= 2 || first.Completion.IsCompleted, TimeSpan.FromSeconds(60), () => $"{first.Status}, {first.GetCheckpointMetrics()}, last checkpoints: {string.Join("; ", first.GetCheckpointHistory().TakeLast(3))}");
        Assert.True(first.Status == JobStatus.Running, $"the job ended before two checkpoints: {first.Status}, {first.GetCheckpointMetrics()}, {first.Completion.Exception?.GetBaseException()}");
        var savepoint = await first.StopWithSavepointAsync(Path.Combine(_root, "savepoint")).WaitAsync(TimeSpan.FromSeconds(30));
        var counted = ReadCommitted(store, "out").Sum(line => long.Parse(line.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(counted < count, $"the savepoint was taken before the end of the input ({counted} counted)");

        var second = await Create(1, savepoint, throttle: false).ExecuteAsync("processing-time");
        await second.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Finished, second.Status);
        var perKey = ReadCommitted(store, "out")
            .Select(line => line.Split(':'))
            .GroupBy(parts => parts[0], parts => long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Sum());
        Assert.Equal(Enumerable.Range(0, Keys).ToDictionary(k => "k" + k, _ => (long)(count / Keys)), perKey);
    }

    [Fact]
    public async Task StateOfARemovedOperator_FailsTheRestoreUnlessAllowed()
    {
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        var savepoint = await SavepointOfLogJobAsync(store);

        // The new version of the job keeps only the source: the running sum's and the windows' state have no operator.
        StreamEnvironment SourceOnly(bool allow)
        {
            var env = StreamEnvironment.Create(new StreamEnvironmentOptions
            {
                Parallelism = 2,
                RestoreFromSavepoint = savepoint,
                AllowNonRestoredState = allow,
                Checkpointing = new CheckpointingOptions { Directory = Path.Combine(_root, "checkpoints-v2") },
            });
            env.FromLogTopic(store, "in", LogTopics.ToEv, new LogSourceOptions { Bounded = true }).Uid("source").SinkTo(new CollectingSink<Ev>());
            return env;
        }

        var error = Assert.Throws<InvalidOperationException>(() => SourceOnly(allow: false).ExecuteAsync().GetAwaiter().GetResult());
        Assert.Contains("'running-sum'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AllowNonRestoredState", error.Message, StringComparison.Ordinal);
        var allowed = await SourceOnly(allow: true).ExecuteAsync();
        await allowed.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(JobStatus.Finished, allowed.Status);
    }

    [Fact]
    public async Task UidMovedToAnotherKindOfOperator_RestoreRefusedBeforeTheJobStarts()
    {
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        var savepoint = await SavepointOfLogJobAsync(store);

        // The new version turns the tumbling windows (uid "windows") into session windows under the same uid.
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 2,
            RestoreFromSavepoint = savepoint,
            AllowNonRestoredState = true,
            Checkpointing = new CheckpointingOptions { Directory = Path.Combine(_root, "checkpoints-v2") },
        });
        env.FromLogTopic(store, "in", LogTopics.ToEv, new LogSourceOptions { Bounded = true }, WatermarkStrategy.ForMonotonousTimestamps<Ev>())
            .Uid("source")
            .KeyBy(e => e.Key)
            .Window(EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(50)))
            .Aggregate(new CountSum())
            .Uid("windows")
            .SinkTo(new CollectingSink<(string, long, long)>());
        var error = Assert.Throws<InvalidOperationException>(() => env.ExecuteAsync().GetAwaiter().GetResult());
        Assert.Contains("uid 'windows'", error.Message, StringComparison.Ordinal);
        Assert.Contains("section 'windows'", error.Message, StringComparison.Ordinal);
        Assert.Contains("different kind of operator", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogSourceCommittingToAGroup_CommitsTheCompletedCheckpointsPositionsOnly()
    {
        // The commit interval would commit after every poll without checkpoints; with them, the group only ever holds
        // the positions of a completed checkpoint, also after the job fails between two checkpoints.
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("in", 4);
        for (var p = 0; p < 4; p++)
        {
            LogTopics.Append(store, "in", p, Enumerable.Range(0, 10_000).Select(i => ((long)i, "k" + p, (long)((p * 10_000) + i))));
        }

        var checkpoints = Path.Combine(_root, "checkpoints");
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 2,
            Checkpointing = new CheckpointingOptions { Directory = checkpoints, Interval = TimeSpan.FromMilliseconds(50), RetainedCheckpoints = 1_000, RestartStrategy = RestartStrategy.None },
        });
        var source = new LogSourceOptions { Bounded = true, MaxReadBytes = 4096, CommitToGroup = "readers", CommitInterval = TimeSpan.Zero };
        var seen = 0;
        env.FromLogTopic(store, "in", LogTopics.ToEv, source)
            .Uid("source")
            .Map(e =>
            {
                if (Interlocked.Increment(ref seen) == 25_000)
                {
                    throw new InvalidOperationException("injected failure");
                }

                return Throttled(e, throttle: true);
            })
            .SinkTo(new CollectingSink<Ev>());
        var job = await env.ExecuteAsync("group-commits");
        await Assert.ThrowsAnyAsync<Exception>(() => job.Completion.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.True(job.GetCheckpointMetrics().Completed >= 2, $"completed checkpoints: {job.GetCheckpointMetrics().Completed}");

        CheckpointedSourcePositions.AssertCommittedAreCheckpointed(
            CheckpointedSourcePositions.Read(checkpoints, "source"),
            p => store.GroupOffsets.TryFetch("readers", "in", p, out var committed) ? committed.Offset : null);
    }

    /// <summary>Runs the log job of <see cref="CreateLogJob"/> at parallelism 2 over 40,000 records and stops it with a savepoint after its first checkpoint; returns the savepoint's path.</summary>
    private async Task<string> SavepointOfLogJobAsync(LogStore store)
    {
        store.CreateTopic("in", 4);
        store.CreateTopic("out", 3);
        LogTopics.Append(store, "in", 0, Enumerable.Range(0, 40_000).Select(i => ((long)i, "k" + (i % Keys), (long)i)));
        var first = await CreateLogJob(store, 2, null, throttle: true).ExecuteAsync("uids");
        await JobRunner.WaitUntilAsync(() => first.GetCheckpointMetrics().Completed >= 1);
        return await first.StopWithSavepointAsync(Path.Combine(_root, "sp")).WaitAsync(TimeSpan.FromSeconds(30));
    }

    private StreamEnvironment CreateLogJob(LogStore store, int parallelism, string? savepointToRestore, bool throttle, int retained = 2)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = parallelism,
            BufferTimeout = TimeSpan.FromMilliseconds(5),
            RestoreFromSavepoint = savepointToRestore,
            Checkpointing = new CheckpointingOptions
            {
                Directory = Path.Combine(_root, "checkpoints"),
                Interval = TimeSpan.FromMilliseconds(50),
                RetainedCheckpoints = retained,
                RestartStrategy = RestartStrategy.None,
            },
        });
        var events = env.FromLogTopic(store, "in", LogTopics.ToEv, new LogSourceOptions { Bounded = true, MaxReadBytes = 4096 }, WatermarkStrategy.ForMonotonousTimestamps<Ev>())
            .Uid("source")
            .Map(e => Throttled(e, throttle))
            .Uid("throttle");
        AddStatefulPipeline(events, store);
        return env;
    }

    /// <summary>
    /// Writes <paramref name="input"/> to the 4 partitions of "in": every key in one partition (k<i>n</i> in n mod 4), in
    /// time order (event time never goes back within a partition), in batches of 500 as a producer would write them.
    /// </summary>
    private static void AppendByKey(LogStore store, List<Ev> input)
    {
        foreach (var partition in input.GroupBy(e => int.Parse(e.Key[1..], System.Globalization.CultureInfo.InvariantCulture) % 4))
        {
            foreach (var chunk in partition.OrderBy(e => e.Time).Chunk(500))
            {
                LogTopics.Append(store, "in", partition.Key, chunk.Select(e => (e.Time, e.Key, e.Value)));
            }
        }
    }

    /// <summary>Sessions (gap 50 ms) of each key, once with the event-time trigger and once firing every 7 records, into <paramref name="topic"/>.</summary>
    private StreamEnvironment CreateSessionJob(LogStore store, string topic, int parallelism, bool checkpointed, string? savepointToRestore, bool throttle)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = parallelism,
            BufferTimeout = TimeSpan.FromMilliseconds(5),
            RestoreFromSavepoint = savepointToRestore,
            Checkpointing = checkpointed
                ? new CheckpointingOptions { Directory = Path.Combine(_root, "checkpoints"), Interval = TimeSpan.FromMilliseconds(50), RestartStrategy = RestartStrategy.None }
                : null,
        });
        var sink = new LogSinkOptions { DeliveryGuarantee = checkpointed ? DeliveryGuarantee.ExactlyOnce : DeliveryGuarantee.AtLeastOnce };
        var events = env.FromLogTopic(store, "in", LogTopics.ToEv, new LogSourceOptions { Bounded = true, MaxReadBytes = 4096 }, WatermarkStrategy.ForMonotonousTimestamps<Ev>())
            .Uid("source")
            .Map(e => Throttled(e, throttle))
            .Uid("throttle");
        var gap = EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(50));
        events.KeyBy(e => e.Key)
            .Window(gap)
            .Aggregate(new CountSum())
            .Uid("sessions")
            .SinkToLogTopic(store, topic, w => (Encoding.UTF8.GetBytes(w.Key), Encoding.UTF8.GetBytes($"session:{w.Key}:{w.Count}/{w.Sum}")), sink)
            .Uid("sessions-out");
        events.KeyBy(e => e.Key)
            .Window(gap)
            .Trigger(CountTrigger.Of<Ev>(7))
            .Aggregate(new CountSum())
            .Uid("counted-sessions")
            .SinkToLogTopic(store, topic, w => (Encoding.UTF8.GetBytes(w.Key), Encoding.UTF8.GetBytes($"count:{w.Key}:{w.Count}/{w.Sum}")), sink)
            .Uid("counted-sessions-out");
        return env;
    }

    /// <summary>
    /// Six keyed pipelines on <paramref name="backend"/> into <paramref name="topic"/>, each line naming its pipeline,
    /// key and window so that every line is unique: tumbling (1 s), sliding (1 s every 500 ms) and session (gap 50 ms)
    /// count+sum, a window function listing a tumbling window's records, and a rolling reduce and aggregate.
    /// </summary>
    private StreamEnvironment CreateRocksDbStateJob(LogStore store, string topic, int parallelism, StateBackend backend, bool checkpointed, string? savepointToRestore, bool throttle)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = parallelism,
            BufferTimeout = TimeSpan.FromMilliseconds(5),
            StateBackend = backend,
            RestoreFromSavepoint = savepointToRestore,
            Checkpointing = checkpointed
                ? new CheckpointingOptions { Directory = Path.Combine(_root, "checkpoints"), Interval = TimeSpan.FromMilliseconds(50), RestartStrategy = RestartStrategy.None }
                : null,
        });
        var sink = new LogSinkOptions { DeliveryGuarantee = checkpointed ? DeliveryGuarantee.ExactlyOnce : DeliveryGuarantee.AtLeastOnce };
        var events = env.FromLogTopic(store, "in", LogTopics.ToEv, new LogSourceOptions { Bounded = true, MaxReadBytes = 4096 }, WatermarkStrategy.ForMonotonousTimestamps<Ev>())
            .Uid("source")
            .Map(e => Throttled(e, throttle))
            .Uid("throttle");
        void Out(DataStream<string> lines, string uid) =>
            lines.SinkToLogTopic(store, topic, line => (Encoding.UTF8.GetBytes(line.Split(':')[1].Split('@')[0].Split('=')[0]), Encoding.UTF8.GetBytes(line)), sink).Uid(uid + "-out");
        Out(events.KeyBy(e => e.Key).Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1))).Aggregate(new CountSum(), new WindowLine("tumbling")).Uid("tumbling"), "tumbling");
        Out(events.KeyBy(e => e.Key).Window(SlidingEventTimeWindows.Of(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500))).Aggregate(new CountSum(), new WindowLine("sliding")).Uid("sliding"), "sliding");
        Out(events.KeyBy(e => e.Key).Window(EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(50))).Aggregate(new CountSum(), new WindowLine("sessions")).Uid("sessions"), "sessions");
        Out(events.KeyBy(e => e.Key).Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1))).Process(new RecordsLine()).Uid("process"), "process");
        Out(events.KeyBy(e => e.Key).Reduce((a, b) => new Ev(a.Key, b.Time, a.Value + b.Value)).Uid("reduce").Map(e => $"reduce:{e.Key}={e.Value}"), "reduce");
        Out(events.KeyBy(e => e.Key).Aggregate(new CountSum()).Uid("aggregate").Map(r => $"aggregate:{r.Key}={r.Count}/{r.Sum}"), "aggregate");
        return env;
    }

    /// <summary>Slow enough, when <paramref name="throttle"/>, that checkpoints and the savepoint happen in the middle of the input.</summary>
    private static Ev Throttled(Ev e, bool throttle)
    {
        if (throttle)
        {
            Throttle.OneRecord();
        }

        return e;
    }

    /// <summary>Running sum per key and count+sum per key and 1000-ms tumbling window, both exactly-once into "out".</summary>
    private static void AddStatefulPipeline(DataStream<Ev> events, LogStore store)
    {
        var exactlyOnce = new LogSinkOptions { DeliveryGuarantee = DeliveryGuarantee.ExactlyOnce };
        events.KeyBy(e => e.Key)
            .Process(new RunningSum())
            .Uid("running-sum")
            .SinkToLogTopic(store, "out", s => (Encoding.UTF8.GetBytes(s.Split('=')[0]), Encoding.UTF8.GetBytes(s)), exactlyOnce)
            .Uid("sums-out");
        events.KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(1000)))
            .Aggregate(new CountSum())
            .Uid("windows")
            .Map(w => $"{w.Key}@{w.Count}/{w.Sum}")
            .SinkToLogTopic(store, "out", s => (Encoding.UTF8.GetBytes(s.Split('@')[0]), Encoding.UTF8.GetBytes(s)), exactlyOnce)
            .Uid("windows-out");
    }

    private static List<string> Expected(IEnumerable<Ev> input)
    {
        var expected = new List<string>();
        foreach (var group in input.GroupBy(e => e.Key))
        {
            long sum = 0;
            foreach (var e in group.OrderBy(e => e.Time))
            {
                sum += e.Value;
                expected.Add($"{group.Key}={sum}");
            }

            foreach (var window in group.GroupBy(e => e.Time / 1000))
            {
                expected.Add($"{group.Key}@{window.Count()}/{window.Sum(e => e.Value)}");
            }
        }

        return expected;
    }

    private static List<string> ReadCommitted(LogStore store, string topic)
    {
        var records = new List<string>();
        foreach (var partition in store.DescribeTopic(topic).Partitions)
        {
            records.AddRange(store.GetPartition(topic, partition.Id).ReadCommittedRecords(0).Select(r => Encoding.UTF8.GetString(r.Value!)));
        }

        return records;
    }

    private static void AssertOutput(List<string> expected, List<string> actual)
    {
        var missing = expected.Except(actual).Take(5).ToList();
        var duplicates = actual.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}").Take(5).ToList();
        Assert.True(missing.Count == 0 && duplicates.Count == 0 && expected.Count == actual.Count,
            $"expected {expected.Count} records, got {actual.Count}; missing e.g. [{string.Join(", ", missing)}]; duplicated e.g. [{string.Join(", ", duplicates)}]");
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }

    private sealed class RunningSum : KeyedProcessFunction<string, Ev, string>
    {
        private ValueState<long>? _sum;

        public override void Open(RuntimeContext context) => _sum = context.GetState(new ValueStateDescriptor<long>("sum"));

        public override void ProcessElement(Ev value, KeyedProcessContext<string> context, Collector<string> output)
        {
            var sum = _sum!.Value + value.Value;
            _sum.Update(sum);
            output.Collect($"{context.CurrentKey}={sum}");
        }
    }

    /// <summary>One line per key and window: the pipeline's name, the key, the window's start and the count and sum.</summary>
    private sealed class WindowLine(string pipeline) : ProcessWindowFunction<(string Key, long Count, long Sum), string, string>
    {
        public override void Process(string key, ProcessWindowContext context, IReadOnlyList<(string Key, long Count, long Sum)> elements, Collector<string> output) =>
            output.Collect($"{pipeline}:{key}@{context.Window.Start}={elements[0].Count}/{elements[0].Sum}");
    }

    /// <summary>One line per key and window listing how many records it saw and the first and last, in arrival order.</summary>
    private sealed class RecordsLine : ProcessWindowFunction<Ev, string, string>
    {
        public override void Process(string key, ProcessWindowContext context, IReadOnlyList<Ev> elements, Collector<string> output) =>
            output.Collect($"process:{key}@{context.Window.Start}={elements.Count}/{elements[0].Value}..{elements[^1].Value}");
    }

    /// <summary>A stateful operator without snapshots (a count it forwards nothing of), for the refusal test.</summary>
    private sealed class UncheckpointedCounter(OperatorSetup setup, Operator<Ev> next) : Operator<Ev>(setup)
    {
        private readonly Output<Ev> _output = new(next, setup.BatchSize, new OperatorMetricsCounter(setup.Name, setup.SubtaskIndex, setup.Parallelism));
        private long _count;

        protected override void ProcessBatch(StreamBatch<Ev> batch) => _count += batch.Count;

        protected override void OnWatermark(long watermark) => _output.Watermark(watermark);

        protected override void OnIdle() => _output.Idle();

        protected override void OnFinish() => _output.Finish();
    }
}
