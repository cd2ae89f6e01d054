using Freshet.Streaming.Connectors.Files;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Connectors;

public sealed class RollingFileSinkTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-sink-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task SinkToFiles_RollsBySize_FinishedFilesHoldEveryRecordOnce(int parallelism)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism });
        env.FromGenerator(i => i, count: 10_000).SinkToFiles(_directory, i => "record-" + i, new RollingFileSinkOptions { MaxPartBytes = 4096, PartSuffix = ".txt" });
        await JobRunner.RunAsync(env);

        var parts = Directory.GetFiles(_directory);
        Assert.All(parts, p => Assert.Matches(@"^part-\d-\d+\.txt$", Path.GetFileName(p)));
        var lines = parts.SelectMany(File.ReadAllLines).ToList();
        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => "record-" + i).Order(StringComparer.Ordinal), lines.Order(StringComparer.Ordinal));
        // Each part is finished at the first record that takes it to 4096 bytes or more (a line is at most 13 bytes).
        var totalBytes = parts.Sum(p => new FileInfo(p).Length);
        Assert.Equal(Enumerable.Range(0, 10_000).Sum(i => ("record-" + i).Length + 1), totalBytes);
        Assert.InRange(parts.Length, totalBytes / (4096 + 13), (totalBytes / 4096) + parallelism);
        Assert.All(parts.Where(p => !IsLastPartOfSubtask(p, parts)), p => Assert.InRange(new FileInfo(p).Length, 4096, 4096 + 16));
    }

    [Fact]
    public async Task SinkToFiles_WithCheckpointsAndATaskFailure_VisiblePartsHoldEveryRecordExactlyOnce()
    {
        // Without checkpoints the parts the failed attempt finished stay visible and the replay writes their records
        // again; with checkpoints a part becomes visible only when its checkpoint completes.
        var failed = 0;
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 2,
            BufferTimeout = TimeSpan.FromMilliseconds(5),
            Checkpointing = new CheckpointingOptions
            {
                Directory = Path.Combine(_directory + "-checkpoints"),
                Interval = TimeSpan.FromMilliseconds(30),
                RestartStrategy = Jobs.RestartStrategy.FixedDelay(2, TimeSpan.FromMilliseconds(10)),
            },
        });
        env.FromGenerator(i => i, count: 40_000, recordsPerSecond: 40_000)
            .SetParallelism(1)
            .Map(i =>
            {
                // Fails once, after a checkpoint published parts; parts finished by size since then must not become visible.
                if (i % 100 == 0 && Volatile.Read(ref failed) == 0 && Directory.Exists(_directory) &&
                    Directory.GetFiles(_directory).Any(f => !Path.GetFileName(f).StartsWith('.')) &&
                    Interlocked.Exchange(ref failed, 1) == 0)
                {
                    throw new InvalidOperationException("injected failure");
                }

                return i;
            })
            .SetParallelism(1)
            .SinkToFiles(_directory, i => "record-" + i, new RollingFileSinkOptions { MaxPartBytes = 2048 });
        var job = await env.ExecuteAsync("files");
        await job.Completion.WaitAsync(TimeSpan.FromSeconds(60));

        try
        {
            Assert.Equal(1, job.GetCheckpointMetrics().Restarts);
            var files = Directory.GetFiles(_directory).Select(Path.GetFileName).ToList();
            Assert.DoesNotContain(files, f => f!.StartsWith('.'));
            var lines = files.SelectMany(f => File.ReadAllLines(Path.Combine(_directory, f!))).ToList();
            Assert.Equal(Enumerable.Range(0, 40_000).Select(i => "record-" + i).Order(StringComparer.Ordinal), lines.Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(_directory + "-checkpoints", recursive: true);
        }
    }

    [Fact]
    public void TransactionalWriter_PartVisibleOnlyAfterCommit_RecoverPublishesRestoredAndDeletesTheRest()
    {
        var sink = new RollingFileSink<int>(_directory);
        var context = new SinkContext(0, 1) { CheckpointingEnabled = true };
        byte[] first;
        using (var crashed = sink.CreateWriter(context))
        {
            var transactional = Assert.IsAssignableFrom<TwoPhaseCommitSinkWriter<int>>(crashed);
            transactional.Recover([]);
            crashed.Write([1, 2], [0, 0]);
            first = transactional.PreCommit(1)!;
            Assert.Empty(FinishedParts());
            crashed.Write([3], [0]);
            Assert.NotNull(transactional.PreCommit(2));
            crashed.Write([4], [0]);

            // The crash: checkpoint 1 completed but its commit never ran; checkpoint 2 never completed.
        }

        using var restored = sink.CreateWriter(context);
        var recovering = (TwoPhaseCommitSinkWriter<int>)restored;
        recovering.Recover([new(0, first)]);
        recovering.Recover([new(0, first)]);
        Assert.Equal(["part-0-0"], FinishedParts().Select(Path.GetFileName));
        Assert.Equal(["1", "2"], File.ReadAllLines(Path.Combine(_directory, "part-0-0")));
        Assert.DoesNotContain(Directory.GetFiles(_directory), f => Path.GetFileName(f).StartsWith('.'));
        restored.Write([3, 4], [0, 0]);
        recovering.Commit([recovering.PreCommit(2)!]);
        Assert.Equal(["1", "2", "3", "4"], FinishedParts().SelectMany(File.ReadAllLines).Order());
    }

    [Fact]
    public void Writer_RollsByTime_OnWriteAndOnTimerWithoutRecords()
    {
        var clock = new ManualClock(1_000_000);
        var time = new Freshet.Streaming.Time.ProcessingTimeService(clock);
        var sink = new RollingFileSink<string>(_directory, options: new RollingFileSinkOptions { RolloverInterval = TimeSpan.FromSeconds(10) });
        using var writer = sink.CreateWriter(new SinkContext(0, 1) { ProcessingTime = time });
        writer.Write(["a", "b"], [0, 0]);
        clock.NowMs += 5_000;
        writer.Write(["c"], [0]);
        Assert.Empty(FinishedParts());
        clock.NowMs += 5_000;
        writer.Write(["d"], [0]);
        Assert.Equal(["part-0-0"], FinishedParts().Select(Path.GetFileName));
        Assert.Equal(["a", "b", "c", "d"], File.ReadAllLines(FinishedParts()[0]));

        // No record arrives: the timer finishes the open part once it is 10 s old.
        writer.Write(["e"], [0]);
        clock.NowMs += 9_999;
        time.FireDue();
        Assert.Single(FinishedParts());
        clock.NowMs += 1;
        time.FireDue();
        Assert.Equal(["part-0-0", "part-0-1"], FinishedParts().Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["e"], File.ReadAllLines(Path.Combine(_directory, "part-0-1")));
        writer.Flush(endOfInput: true);
        Assert.Equal(2, Directory.GetFiles(_directory).Length);
    }

    [Fact]
    public async Task SinkToFiles_RunningJobWithoutNewRecords_TimerFinishesPartOnTheJobClock()
    {
        var clock = new ManualClock(1_000_000);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, Clock = clock, BufferTimeout = TimeSpan.FromMilliseconds(2) });
        env.FromGenerator(i => i, count: null).Filter(i => i < 3).SinkToFiles(_directory, options: new RollingFileSinkOptions { RolloverInterval = TimeSpan.FromMinutes(1) });
        var job = await env.ExecuteAsync();
        // The three records pass in the first batch (one chain, direct calls); the part is open but not finished.
        await JobRunner.WaitUntilAsync(() => Directory.Exists(_directory) && Directory.GetFiles(_directory).Length == 1);
        await Task.Delay(50);
        Assert.Empty(FinishedParts());
        clock.NowMs += 60_000;
        await JobRunner.WaitUntilAsync(() => FinishedParts().Length == 1);
        await job.CancelAsync();
        Assert.Equal(["0", "1", "2"], File.ReadAllLines(FinishedParts()[0]));
    }

    [Fact]
    public void Writer_FormatReturnsNull_WritesEmptyLine()
    {
        using var writer = new RollingFileSink<string?>(_directory, s => s!).CreateWriter(new SinkContext(0, 1));
        writer.Write(["a", null, "b"], [0, 0, 0]);
        writer.Flush(endOfInput: true);
        Assert.Equal(["a", "", "b"], File.ReadAllLines(FinishedParts()[0]));
    }

    [Fact]
    public void Writer_InProgressFileHiddenUntilFinished_RestartContinuesCounter()
    {
        var sink = new RollingFileSink<int>(_directory);
        var writer = sink.CreateWriter(new SinkContext(2, 3));
        writer.Write([1, 2, 3], [0, 0, 0]);
        Assert.Empty(FinishedParts());
        Assert.Equal([".part-2-0.inprogress"], Directory.GetFiles(_directory).Select(Path.GetFileName));
        writer.Flush(endOfInput: true);
        writer.Dispose();
        Assert.Equal(["1", "2", "3"], File.ReadAllLines(Path.Combine(_directory, "part-2-0")));

        // A cancelled run leaves its in-progress file; the next run neither overwrites nor reuses either name.
        var cancelled = sink.CreateWriter(new SinkContext(2, 3));
        cancelled.Write([4], [0]);
        cancelled.Dispose();
        using var next = sink.CreateWriter(new SinkContext(2, 3));
        next.Write([5], [0]);
        next.Flush(endOfInput: true);
        Assert.Equal(["5"], File.ReadAllLines(Path.Combine(_directory, "part-2-2")));
        Assert.True(File.Exists(Path.Combine(_directory, ".part-2-1.inprogress")));
    }

    [Fact]
    public void Options_InvalidValues_Rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RollingFileSinkOptions { MaxPartBytes = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RollingFileSinkOptions { RolloverInterval = TimeSpan.Zero });
        Assert.Throws<ArgumentException>(() => new RollingFileSinkOptions { PartPrefix = "a/b" });
        Assert.Throws<ArgumentException>(() => new RollingFileSinkOptions { PartPrefix = ".hidden" });
    }

    private string[] FinishedParts() => Directory.GetFiles(_directory).Where(p => !Path.GetFileName(p).StartsWith('.')).ToArray();

    private static bool IsLastPartOfSubtask(string path, string[] parts)
    {
        static (string Subtask, int Counter) Parse(string p)
        {
            var fields = Path.GetFileNameWithoutExtension(p).Split('-');
            return (fields[1], int.Parse(fields[2]));
        }

        var (subtask, counter) = Parse(path);
        return parts.Select(Parse).Where(x => x.Subtask == subtask).Max(x => x.Counter) == counter;
    }
}
