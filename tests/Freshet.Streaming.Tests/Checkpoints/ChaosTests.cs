using System.Diagnostics;
using System.Globalization;
using System.Text;
using Freshet.Log;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Checkpoints;

/// <summary>
/// The chaos test: the job of tests/Freshet.Chaos.Job runs as a child process over a bounded topic of
/// 1,000,000 records and is killed with SIGKILL at random moments, at least 10 times, and started again each time on
/// the same data and checkpoint directories. At the end the read_committed output must equal what a failure-free run
/// produces, computed here independently: every running sum and every window result exactly once. It runs once per
/// state backend and key type: a string key, and a composite key (a value tuple), whose key group must be the same in
/// every new process for restored state to land on the subtask that receives the key's records.
/// </summary>
public sealed class ChaosTests : IDisposable
{
    private const int Records = 1_000_000;
    private const int Keys = 1000;
    private const int Kills = 10;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-chaos-" + Guid.NewGuid().ToString("N"));

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
    [InlineData("heap", "string")]
    [InlineData("rocksdb", "string")]
    [InlineData("heap", "tuple")]
    [InlineData("rocksdb", "tuple")]
    public async Task KilledAtRandomMomentsTenTimes_ReadCommittedOutputEqualsAFailureFreeRun(string backend, string key)
    {
        // A round runs the job over fresh input, killing it until it finishes, and checks its output. On a fast
        // machine the job may finish its input before ten kills; then another round starts, so that every test
        // kills at least ten times in all and every round's output is checked.
        var random = new Random((backend.Length * 7919) + (key == "string" ? 0 : 1));
        var kills = 0;
        for (var round = 0; kills < Kills; round++)
        {
            Assert.True(round < 5, $"the job kept finishing before it could be killed ({kills} kills in {round} rounds)");
            kills += await KillUntilFinishedAsync(Path.Combine(_root, "round-" + round), backend, key, random, Kills - kills);
        }
    }

    /// <summary>Runs the job over new input in <paramref name="root"/>, killed at random moments (at most
    /// <paramref name="maxKills"/> times) and restarted until it finishes, then checks its read_committed output
    /// against a failure-free computation. Returns the number of kills.</summary>
    private static async Task<int> KillUntilFinishedAsync(string root, string backend, string key, Random random, int maxKills)
    {
        var data = Path.Combine(root, "data");
        var checkpoints = Path.Combine(root, "checkpoints");
        WriteInput(data);

        var kills = 0;
        var restoredIds = new List<long>();
        for (var attempt = 0; kills < maxKills; attempt++)
        {
            Assert.True(attempt < maxKills * 3, $"the job kept failing to start or stop ({kills} kills)");
            using var job = ChildJob.Start(data, checkpoints, backend, key);
            var restored = await job.WaitUntilStartedAsync();
            restoredIds.Add(restored);

            // Each run makes progress before it dies: the kill comes at a random moment after the run completed a
            // checkpoint of its own (under load, startup alone can take longer than a fixed delay).
            await WaitForCheckpointAfterAsync(checkpoints, restored, job);
            await Task.Delay(random.Next(0, 150));
            if (job.KillUnlessExited())
            {
                kills++;
            }
            else
            {
                break;
            }
        }

        using (var last = ChildJob.Start(data, checkpoints, backend, key))
        {
            restoredIds.Add(await last.WaitUntilStartedAsync());
            Assert.Equal(0, await last.WaitForExitAsync(TimeSpan.FromMinutes(3)));
        }

        if (kills > 0)
        {
            Assert.True(restoredIds.Skip(1).Any(id => id > 0), "no run restored a checkpoint");
        }

        Assert.True(restoredIds.Zip(restoredIds.Skip(1)).All(pair => pair.Second >= pair.First), $"restored checkpoints went back: {string.Join(", ", restoredIds)}");

        var actual = ReadCommittedOutput(data);
        var expected = Expected();
        var missing = expected.Except(actual).Take(5).ToList();
        var duplicated = actual.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key).Take(5).ToList();
        Assert.True(missing.Count == 0 && duplicated.Count == 0 && actual.Count == expected.Count,
            $"expected {expected.Count} results, got {actual.Count}; missing e.g. [{string.Join(", ", missing)}]; duplicated e.g. [{string.Join(", ", duplicated)}]; restored {string.Join(", ", restoredIds)}");
        return kills;
    }

    private static async Task WaitForCheckpointAfterAsync(string checkpoints, long restored, ChildJob job)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!job.HasExited && DateTime.UtcNow < deadline)
        {
            var newest = Directory.Exists(checkpoints)
                ? Directory.GetDirectories(checkpoints, "chk-*")
                    .Where(d => File.Exists(Path.Combine(d, "_manifest")))
                    .Select(d => long.Parse(Path.GetFileName(d)[4..], CultureInfo.InvariantCulture))
                    .DefaultIfEmpty(0)
                    .Max()
                : 0;
            if (newest > restored)
            {
                return;
            }

            await Task.Delay(10);
        }
    }

    private static (string Key, long Time, long Value) Input(int i) => ("k" + (i % Keys), i, (i % 97) + 1);

    private static void WriteInput(string data)
    {
        using var store = LogStore.Open(data, new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("input", 4);
        store.CreateTopic("output", 4);
        // A key's records go to one partition in time order, in producer-sized batches.
        foreach (var partition in Enumerable.Range(0, Records).Select(Input).GroupBy(e => int.Parse(e.Key[1..], CultureInfo.InvariantCulture) % 4))
        {
            foreach (var batch in partition.Chunk(1000))
            {
                LogTopics.Append(store, "input", partition.Key, batch.Select(e => (e.Time, e.Key, e.Value)));
            }
        }

        store.Flush();
    }

    private static List<string> Expected()
    {
        var expected = new List<string>(Records + (Records / 10));
        foreach (var key in Enumerable.Range(0, Records).Select(Input).GroupBy(e => e.Key))
        {
            long sum = 0;
            foreach (var e in key)
            {
                sum += e.Value;
                expected.Add(string.Create(CultureInfo.InvariantCulture, $"{key.Key}={sum}"));
            }

            foreach (var window in key.GroupBy(e => e.Time / 10_000 * 10_000))
            {
                expected.Add(string.Create(CultureInfo.InvariantCulture, $"{key.Key}@{window.Key}:{window.Count()}/{window.Sum(e => e.Value)}"));
            }
        }

        return expected;
    }

    private static List<string> ReadCommittedOutput(string data)
    {
        using var store = LogStore.Open(data, new LogStoreOptions { BackgroundMaintenance = false });
        var output = new List<string>();
        for (var p = 0; p < 4; p++)
        {
            output.AddRange(store.GetPartition("output", p).ReadCommittedRecords(0).Select(r => Encoding.UTF8.GetString(r.Value!)));
        }

        return output;
    }

    /// <summary>One run of the job as a child process (the built Freshet.Chaos.Job.dll of the tests' configuration).</summary>
    private sealed class ChildJob : IDisposable
    {
        private static readonly string JobPath = TestHosts.PathOf("Freshet.Chaos.Job");
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private ChildJob(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        private string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static ChildJob Start(string data, string checkpoints, string backend, string key)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(JobPath);
            info.ArgumentList.Add(data);
            info.ArgumentList.Add(checkpoints);
            info.ArgumentList.Add(backend);
            info.ArgumentList.Add(key);
            return new ChildJob(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
        }

        /// <returns>The checkpoint the run restored (0: none).</returns>
        public async Task<long> WaitUntilStartedAsync()
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                var output = Output;
                var at = output.IndexOf("started restored=", StringComparison.Ordinal);
                if (at >= 0 && output.IndexOf('\n', at) is var end && end > at)
                {
                    return long.Parse(output[(at + 17)..end].Trim(), CultureInfo.InvariantCulture);
                }

                if (_process.HasExited)
                {
                    // The parameterless wait also waits for the redirected output to be read to its end: a job that
                    // started and finished at once may have printed its "started" line without the test having seen it.
                    _process.WaitForExit();
                    if (Output.Contains("started restored=", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    Assert.Fail($"the job exited with {_process.ExitCode} before starting: {Output}");
                }

                Assert.True(DateTime.UtcNow < deadline, "the job did not start: " + output);
                await Task.Delay(20);
            }
        }

        public bool HasExited => _process.HasExited;

        /// <summary>SIGKILL (no shutdown code runs); false when the job had already finished.</summary>
        public bool KillUnlessExited()
        {
            if (_process.HasExited)
            {
                Assert.True(_process.ExitCode == 0, $"the job failed with {_process.ExitCode}: {Output}");
                return false;
            }

            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            return true;
        }

        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                Assert.Fail($"the job did not finish within {timeout}: {Output}");
            }

            _process.WaitForExit();
            Assert.True(_process.ExitCode == 0, $"the job failed with {_process.ExitCode}: {Output}");
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
