using System.Globalization;
using System.Text;
using Freshet.Log;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Examples;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.Sources;

/// <summary>
/// The example source written against the public API only (<see cref="NdjsonDirectorySource{T}"/>, in
/// Freshet.Streaming.Examples) in checkpointed jobs: a failure mid-stream and a restore at another parallelism lose and
/// repeat no line; files that appear while the job runs are read; watermarks are kept per file.
/// </summary>
public sealed class NdjsonDirectorySourceTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-ndjson-" + Guid.NewGuid().ToString("N"));
    private readonly string _input;

    public NdjsonDirectorySourceTests()
    {
        _input = Path.Combine(_root, "in");
        Directory.CreateDirectory(_input);
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

    [Fact]
    public async Task ContinuousSource_JobFailsMidStreamAndRestarts_EveryLineOnceInReadCommittedOutput()
    {
        var expected = new List<string>();
        for (var f = 0; f < 4; f++)
        {
            expected.AddRange(WriteFile($"first-{f}.ndjson", 3_000, timeBase: 0));
        }

        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("out", 2);
        var seen = 0;
        var failed = 0;
        JobHandle? job = null;
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 2,
            BatchSize = 100,
            BufferTimeout = TimeSpan.FromMilliseconds(5),
            Checkpointing = new CheckpointingOptions
            {
                Directory = Path.Combine(_root, "checkpoints"),
                Interval = TimeSpan.FromMilliseconds(50),
                RestartStrategy = RestartStrategy.FixedDelay(2, TimeSpan.FromMilliseconds(10)),
            },
        });
        env.FromSource(new NdjsonDirectorySource<Reading>(_input, r => r.TimeMs, monitorInterval: TimeSpan.FromMilliseconds(20)), name: "readings")
            .Uid("readings")
            .Map(r =>
            {
                var n = Interlocked.Increment(ref seen);
                Throttle(n, throttle: true);

                // Fails once, in the middle of the first files and after checkpoints completed.
                if (n >= 9_000 && Volatile.Read(ref failed) == 0 && Volatile.Read(ref job)?.GetCheckpointMetrics().Completed >= 2 && Interlocked.Exchange(ref failed, 1) == 0)
                {
                    throw new InvalidOperationException("injected failure");
                }

                return r;
            })
            .Uid("throttle")
            .SinkToLogTopic(store, "out", Serialize, new LogSinkOptions { DeliveryGuarantee = DeliveryGuarantee.ExactlyOnce })
            .Uid("out");

        var running = await env.ExecuteAsync("ndjson-continuous");
        Volatile.Write(ref job, running);
        await JobRunner.WaitUntilAsync(() => running.GetCheckpointMetrics().Completed >= 2);

        // Files that appear while the job runs: the readers list the directory again and take them on.
        for (var f = 0; f < 4; f++)
        {
            expected.AddRange(WriteFile($"later-{f}.ndjson", 3_000, timeBase: 0));
        }

        await JobRunner.WaitUntilAsync(() => ReadCommitted(store).Count >= expected.Count, TimeSpan.FromSeconds(120));

        // One more checkpoint after everything arrived: a repeated line would be committed by now.
        var completed = running.GetCheckpointMetrics().Completed;
        await JobRunner.WaitUntilAsync(() => running.GetCheckpointMetrics().Completed >= completed + 2);
        await running.CancelAsync();

        Assert.Equal(1, running.GetCheckpointMetrics().Restarts);
        Assert.NotNull(running.RestoredFrom);
        AssertEachOnce(expected, ReadCommitted(store));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task BoundedSource_StopWithSavepointAndRestoreAtAnotherParallelism_EveryLineOnce(int newParallelism)
    {
        var expected = new List<string>();
        for (var f = 0; f < 6; f++)
        {
            expected.AddRange(WriteFile($"part-{f}.ndjson", 2_000, timeBase: 0));
        }

        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("out", 3);

        StreamEnvironment Create(int parallelism, string? savepoint, bool throttle)
        {
            var env = StreamEnvironment.Create(new StreamEnvironmentOptions
            {
                Parallelism = parallelism,
                BatchSize = 100,
                BufferTimeout = TimeSpan.FromMilliseconds(5),
                RestoreFromSavepoint = savepoint,
                Checkpointing = new CheckpointingOptions { Directory = Path.Combine(_root, "checkpoints"), Interval = TimeSpan.FromMilliseconds(50), RestartStrategy = RestartStrategy.None },
            });
            env.FromSource(new NdjsonDirectorySource<Reading>(_input, r => r.TimeMs), name: "readings")
                .Uid("readings")
                .Map(r =>
                {
                    if (throttle)
                    {
                        // About 1 record per ms and subtask: the first run is stopped long before its end.
                        Thread.Sleep(1);
                    }

                    return r;
                })
                .Uid("throttle")
                .SinkToLogTopic(store, "out", Serialize, new LogSinkOptions { DeliveryGuarantee = DeliveryGuarantee.ExactlyOnce })
                .Uid("out");
            return env;
        }

        var first = await Create(2, savepoint: null, throttle: true).ExecuteAsync("ndjson-rescale");
        await JobRunner.WaitUntilAsync(() => first.GetCheckpointMetrics().Completed >= 2);
        var savepoint = await first.StopWithSavepointAsync(Path.Combine(_root, "savepoint")).WaitAsync(TimeSpan.FromSeconds(30));
        var afterFirst = ReadCommitted(store).Count;
        Assert.True(afterFirst > 0 && afterFirst < expected.Count, $"the savepoint was taken in the middle of the input ({afterFirst} of {expected.Count} lines)");

        var second = await Create(newParallelism, savepoint, throttle: false).ExecuteAsync("ndjson-rescale");
        await second.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Finished, second.Status);
        // The savepoint, or a checkpoint the first run completed after it (its sources had stopped: the same positions).
        Assert.NotNull(second.RestoredFrom);
        AssertEachOnce(expected, ReadCommitted(store));
    }

    [Fact]
    public async Task ContinuousSource_FilesReadInTurn_WatermarkPerFileLosesNoLineAndPassesFinishedFiles()
    {
        // Read in name order: a-mid (event times 1000…1999), then b-early (0…999), then c-late (2000…2999). b-early is
        // a split from the start, so it holds the watermark back while a-mid is read and none of its lines is late;
        // each file read to its end stops holding it back, so once c-late is done the windows up to its last full
        // window fire while the job still runs (no end of input).
        WriteFile("a-mid.ndjson", 1_000, timeBase: 1_000);
        WriteFile("b-early.ndjson", 1_000, timeBase: 0);
        WriteFile("c-late.ndjson", 1_000, timeBase: 2_000);
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, BufferTimeout = TimeSpan.FromMilliseconds(5) });
        env.FromSource(new NdjsonDirectorySource<Reading>(_input, r => r.TimeMs, monitorInterval: TimeSpan.FromMilliseconds(50)), WatermarkStrategy.ForMonotonousTimestamps<Reading>())
            .Map(r => new Ev("all", r.TimeMs, 1))
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(100)))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        var job = await env.ExecuteAsync("ndjson-watermarks");
        try
        {
            // 30 windows of 100 lines; the last, [2900, 3000), waits for a watermark of 2999 that a running source never claims.
            await JobRunner.WaitUntilAsync(() => sink.Results.Count >= 29);
            await Task.Delay(200);
            Assert.Equal(29, sink.Results.Count);
            Assert.All(sink.Results, window => Assert.Equal(100, window.Count));
            Assert.Equal(JobStatus.Running, job.Status);
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    [Fact]
    public async Task MalformedLine_FailsTheJobNamingFileAndOffset()
    {
        File.WriteAllText(Path.Combine(_input, "bad.ndjson"), "{\"sensor\":\"s\",\"timeMs\":1,\"seq\":0}\n{\"sensor\":\n");
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        env.FromSource(new NdjsonDirectorySource<Reading>(_input), name: "readings").SinkTo(new CollectingSink<Reading>());
        var job = await env.ExecuteAsync("ndjson-bad");

        var error = await Assert.ThrowsAsync<JobExecutionException>(() => job.Completion.WaitAsync(JobRunner.Deadline));
        Assert.Contains("readings", error.Message, StringComparison.Ordinal);
        Assert.Contains("bad.ndjson' at byte 34", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Writes <paramref name="lines"/> readings as a file that appears complete (written hidden, then renamed); returns their output lines.</summary>
    private List<string> WriteFile(string name, int lines, long timeBase)
    {
        var sensor = Path.GetFileNameWithoutExtension(name);
        var hidden = Path.Combine(_input, "." + name + ".tmp");
        var text = new StringBuilder();
        var output = new List<string>();
        for (var i = 0; i < lines; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{\"sensor\":\"{sensor}\",\"timeMs\":{timeBase + i},\"seq\":{i}}}\n");
            output.Add($"{sensor}:{i}");
        }

        File.WriteAllText(hidden, text.ToString());
        File.Move(hidden, Path.Combine(_input, name));
        return output;
    }

    /// <summary>
    /// Slows a job down to about 5 records per ms without burning the CPU other tests run on; with batches of 100
    /// records a poll takes about 20 ms, so barriers pass often.
    /// </summary>
    private static void Throttle(int record, bool throttle)
    {
        if (throttle && record % 5 == 0)
        {
            Thread.Sleep(1);
        }
    }

    private static (byte[]? Key, byte[]? Value) Serialize(Reading r) => (Encoding.UTF8.GetBytes(r.Sensor), Encoding.UTF8.GetBytes($"{r.Sensor}:{r.Seq}"));

    private static List<string> ReadCommitted(LogStore store)
    {
        var records = new List<string>();
        foreach (var partition in store.DescribeTopic("out").Partitions)
        {
            records.AddRange(store.GetPartition("out", partition.Id).ReadCommittedRecords(0).Select(r => Encoding.UTF8.GetString(r.Value!)));
        }

        return records;
    }

    private static void AssertEachOnce(List<string> expected, List<string> actual)
    {
        var missing = expected.Except(actual).Take(5).ToList();
        var duplicates = actual.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}").Take(5).ToList();
        Assert.True(missing.Count == 0 && duplicates.Count == 0 && expected.Count == actual.Count,
            $"expected {expected.Count} lines, got {actual.Count}; missing e.g. [{string.Join(", ", missing)}]; duplicated e.g. [{string.Join(", ", duplicates)}]");
    }

    /// <summary>One line of the input files.</summary>
    public sealed record Reading(string Sensor, long TimeMs, long Seq);
}
