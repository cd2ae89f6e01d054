using Freshet.Application.TestHost;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Tests.Application.Membership;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Application;

/// <summary>
/// Application mode end to end: the test job as several OS processes of one application against a real broker on
/// 127.0.0.1, exactly-once, its read_committed output compared with a single-process run over the same input.
/// </summary>
[Collection(ApplicationTimingCollection.Name)]
public sealed class ApplicationModeTests : IAsyncLifetime
{
    private const int Partitions = 6;
    private const int RecordsPerPartition = 400;
    private readonly string _state = Path.Combine(Path.GetTempPath(), "freshet-app-tests", Guid.NewGuid().ToString("N"));
    private readonly List<ApplicationInstanceProcess> _instances = [];
    private InProcessBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _broker = await InProcessBroker.StartAsync();
        _broker.Store.CreateTopic("in", Partitions);
        _broker.Store.CreateTopic("out", 1);
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            instance.Dispose();
        }

        await _broker.DisposeAsync();
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [Theory]
    [InlineData("heap")]
    [InlineData("rocksdb")]
    public async Task ThreeProcesses_ExactlyOnce_WriteWhatOneProcessComputes(string backend)
    {
        await ProduceInputAsync(0, RecordsPerPartition, flush: true);
        var expected = await SingleProcessResultsAsync();

        for (var i = 0; i < 3; i++)
        {
            await StartInstanceAsync($"instance {i}", backend);
        }

        var output = await WaitForOutputAsync(expected.Count);
        Assert.Equal(expected, output);
        Assert.All(_instances, static i => Assert.False(i.HasExited, i.Output));
        foreach (var instance in _instances)
        {
            var exit = await instance.StopAsync(TimeSpan.FromSeconds(90));
            Assert.True(exit == 0, $"{instance.Name} stopped with {exit}: {instance.Output[^Math.Min(4000, instance.Output.Length)..]}");
        }
    }

    /// <summary>
    /// Instances killed with SIGKILL at random moments and started again while input keeps arriving, a fourth instance
    /// added and removed midway: the output is still exactly the single-process output. 10 kills; set
    /// FRESHET_APPLICATION_SOAK_KILLS for a longer soak.
    /// </summary>
    [Fact]
    public async Task Chaos_InstancesKilledAndRestarted_OutputIsExactlyOnce()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("FRESHET_APPLICATION_SOAK_KILLS"), out var configured) && configured > 10 ? configured : 10;
        var seed = Environment.TickCount;
        var random = new Random(seed);
        const int Chunk = 60;
        var live = new List<ApplicationInstanceProcess>();
        for (var i = 0; i < 3; i++)
        {
            live.Add(await StartInstanceAsync($"instance {i}", "heap"));
        }

        ApplicationInstanceProcess? extra = null;
        var started = 3;
        for (var k = 0; k < kills; k++)
        {
            await ProduceInputAsync(k * Chunk, (k + 1) * Chunk, flush: false);
            await Task.Delay(random.Next(300, 2500));
            var victim = live[random.Next(live.Count)];
            victim.Kill();
            live.Remove(victim);
            live.Add(await StartInstanceAsync($"instance {started++}", "heap"));
            if (k == kills / 3)
            {
                extra = await StartInstanceAsync("extra", "heap");
            }
            else if (k == 2 * kills / 3 && extra is not null)
            {
                Assert.Equal(0, await extra.StopAsync(TimeSpan.FromSeconds(90)));
            }
        }

        await ProduceInputAsync(kills * Chunk, (kills + 1) * Chunk, flush: true);
        var expected = await SingleProcessResultsAsync();

        var output = await WaitForOutputAsync(expected.Count, TimeSpan.FromSeconds(180));

        Assert.True(expected.SequenceEqual(output), $"seed {seed}: {expected.Count} expected, {output.Count} written; missing [{string.Join(", ", expected.Except(output).Take(10))}], extra [{string.Join(", ", output.Except(expected).Take(10))}]");
    }

    /// <summary>
    /// With one standby replica per task, the tasks of an instance killed with SIGKILL move to the survivors that kept
    /// copies of their state: each replays only what its standby had not applied — here nothing, though the
    /// changelogs hold records for their partitions — and the output stays exactly the single-process output.
    /// </summary>
    [Fact]
    public async Task StandbyReplicas_TakeOverAKilledInstancesTasks_ReplayingOnlyTheTail()
    {
        await ProduceInputAsync(0, RecordsPerPartition, flush: true);
        var expected = await SingleProcessResultsAsync();
        for (var i = 0; i < 3; i++)
        {
            await StartInstanceAsync($"instance {i}", "heap", standbyReplicas: 1);
        }

        Assert.Equal(expected, await WaitForOutputAsync(expected.Count));
        await Poll.UntilAsync(
            // A standby's lag counts the marker of the last transaction on each changelog it follows (up to two here).
            () => _instances.All(static i => i.LastReplicas.Standbys.Count > 0 && i.LastReplicas.Standbys.Values.All(static s => s.Lag is >= 0 and <= 2)),
            () => "every instance keeping caught-up standbys: " + string.Join(" | ", _instances.Select(static i => i.Output.Split('\n').LastOrDefault(static l => l.StartsWith("replicas", StringComparison.Ordinal)))),
            TimeSpan.FromSeconds(60));

        var victim = _instances[0];
        var survivors = _instances.Skip(1).ToList();
        var moved = victim.LastTasks.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(static t => t.Split(':')[0]).ToList();
        var standbys = survivors.SelectMany(static s => s.LastReplicas.Standbys.Keys).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(moved);
        Assert.All(moved, t => Assert.True(standbys.Contains(t), $"task {t} of the victim has no standby on a survivor"));
        victim.Kill();

        await Poll.UntilAsync(
            () => moved.All(t => survivors.Any(s => s.LastTasks.Contains(t + ":Running", StringComparison.Ordinal))),
            () => "the survivors running the victim's tasks: " + string.Join(" | ", survivors.Select(static s => s.LastTasks)),
            TimeSpan.FromSeconds(90));
        foreach (var task in moved)
        {
            var restored = survivors.Select(s => s.LastReplicas.Restored.GetValueOrDefault(task, -1)).Max();
            Assert.True(restored == 0, $"task {task} replayed {restored} changelog records though its standby had caught up");
        }

        var partitions = moved.Select(static t => int.Parse(t.Split('_')[1], System.Globalization.CultureInfo.InvariantCulture)).Distinct();
        Assert.True(partitions.All(p => ChangelogRecords(p) > 0), "the changelogs hold nothing a cold restore of the moved tasks would read");
        Assert.Equal(expected, await WaitForOutputAsync(expected.Count));
    }

    /// <summary>
    /// An instance stopped with SIGTERM and started again with the same state directory and instance id restores its
    /// tasks from the copies it saved: it reads none of the changelog records written before it stopped, and the
    /// output stays exactly the single-process output.
    /// </summary>
    [Fact]
    public async Task Restart_WithItsStateDirectory_ReadsNothingItsSavedCopiesHold()
    {
        await ProduceInputAsync(0, RecordsPerPartition, flush: true);
        var expected = await SingleProcessResultsAsync();
        var first = await StartInstanceAsync("instance a", "heap", instanceId: "a");
        Assert.Equal(expected, await WaitForOutputAsync(expected.Count));
        Assert.Equal(0, await first.StopAsync(TimeSpan.FromSeconds(90)));
        Assert.True(Enumerable.Range(0, Partitions).Sum(ChangelogRecords) > 0, "the first run wrote no changelog records");

        var second = await StartInstanceAsync("instance a", "heap", instanceId: "a");
        var tasks = first.LastTasks.Split(',', StringSplitOptions.RemoveEmptyEntries).Length;
        await Poll.UntilAsync(
            () => second.LastTasks.Split(',', StringSplitOptions.RemoveEmptyEntries) is { } running && running.Length == tasks && running.All(static t => t.EndsWith(":Running", StringComparison.Ordinal)),
            () => "the restarted instance running every task: " + second.LastTasks,
            TimeSpan.FromSeconds(90));

        Assert.Equal(0, second.LastReplicas.Restored.Values.Sum());
        Assert.Equal(expected, await WaitForOutputAsync(expected.Count));
    }

    [Fact]
    public async Task MismatchedJobGraph_IsRefusedNamingBothFingerprints()
    {
        var first = await StartInstanceAsync("original", "heap");
        var changed = ApplicationInstanceProcess.Start("changed", _broker.BootstrapServers, "app", "heap", Path.Combine(_state, "changed"), variant: 1);
        _instances.Add(changed);

        var exit = await changed.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exit);
        var original = first.Output.Split("joined fingerprint=")[1].Split('\n')[0].Trim();
        Assert.Contains($"differs from the one application 'app' runs (fingerprint {original})", changed.Output, StringComparison.Ordinal);
        Assert.False(first.HasExited, first.Output);
    }

    private async Task<ApplicationInstanceProcess> StartInstanceAsync(string name, string backend, string? instanceId = null, int standbyReplicas = 0)
    {
        var instance = ApplicationInstanceProcess.Start(name, _broker.BootstrapServers, "app", backend, Path.Combine(_state, name.Replace(' ', '-')), instanceId, standbyReplicas: standbyReplicas);
        _instances.Add(instance);
        await instance.WaitUntilJoinedAsync();
        return instance;
    }

    /// <summary>Records <c>k{n}:{i}</c> of partition p at event time 1000 + 7i; with <paramref name="flush"/> a last record far ahead, so every window closes.</summary>
    private async Task ProduceInputAsync(int from, int to, bool flush)
    {
        for (var p = 0; p < Partitions; p++)
        {
            var records = Enumerable.Range(from, to - from).Select(i => ((string?)null, (string?)$"k{((i * 7) + p) % 13}:{i}", 1_000L + (i * 7))).ToList();
            if (flush)
            {
                records.Add((null, "flush", 10_000_000L));
            }

            await _broker.ProduceAsync("in", p, records);
        }
    }

    private async Task<List<string>> SingleProcessResultsAsync()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var sink = new CollectingSink<string>();
        ApplicationTestJob.Build(env, _broker.BootstrapServers, "in", bounded: true).SinkTo(sink);
        await JobRunner.RunAsync(env);
        return [.. sink.Results.Order(StringComparer.Ordinal)];
    }

    /// <summary>Waits until the output topic holds <paramref name="count"/> committed records, then a little longer for any extra; returns them sorted.</summary>
    private async Task<List<string>> WaitForOutputAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        List<string> output;
        do
        {
            await Task.Delay(500);
            output = Committed();
            if (DateTime.UtcNow >= deadline)
            {
                foreach (var instance in _instances)
                {
                    File.WriteAllText(Path.Combine(Path.GetTempPath(), $"app-test-{instance.Name.Replace(' ', '-')}.log"), instance.Output);
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"only {output.Count} of {count} records arrived. {string.Join("\n---\n", _instances.Select(static i => i.Name + ":\n" + i.Output[^Math.Min(3000, i.Output.Length)..]))}");
        }
        while (output.Count < count);

        await Task.Delay(2000);
        return Committed();
    }

    /// <summary>Committed records in partition <paramref name="partition"/> of all the application's changelog topics.</summary>
    private int ChangelogRecords(int partition) =>
        _broker.Store.ListTopics()
            .Where(static t => t.EndsWith("-changelog", StringComparison.Ordinal))
            .Sum(t => _broker.Store.GetPartition(t, partition).ReadCommittedRecords(0).Count());

    private List<string> Committed()
    {
        var partition = _broker.Store.GetPartition("out", 0);
        return [.. partition.ReadCommittedRecords(0).Select(static r => System.Text.Encoding.UTF8.GetString(r.Value!)).Order(StringComparer.Ordinal)];
    }
}
