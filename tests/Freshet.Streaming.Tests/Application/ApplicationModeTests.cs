using Freshet.Streaming.Tests.Application.Membership;

namespace Freshet.Streaming.Tests.Application;

/// <summary>
/// Application mode end to end: the test job as several OS processes of one application against a real broker on
/// 127.0.0.1, exactly-once, its read_committed output compared with a single-process run over the same input.
/// </summary>
[Collection(ApplicationTimingCollection.Name)]
public sealed class ApplicationModeTests : IAsyncLifetime
{
    private const int RecordsPerPartition = 400;
    private ApplicationTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await ApplicationTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Theory]
    [InlineData("heap")]
    [InlineData("rocksdb")]
    public async Task ThreeProcesses_ExactlyOnce_WriteWhatOneProcessComputes(string backend)
    {
        await _bed.ProduceInputAsync(0, RecordsPerPartition, flush: true);
        var expected = await _bed.SingleProcessResultsAsync();

        for (var i = 0; i < 3; i++)
        {
            await StartInstanceAsync($"instance {i}", backend);
        }

        var output = await _bed.WaitForOutputAsync(expected.Count);
        Assert.Equal(expected, output);
        Assert.All(_bed.Instances, static i => Assert.False(i.HasExited, i.Output));
        await _bed.StopAllAsync();
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
            await _bed.ProduceInputAsync(k * Chunk, (k + 1) * Chunk, flush: false);
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

        await _bed.ProduceInputAsync(kills * Chunk, (kills + 1) * Chunk, flush: true);
        var expected = await _bed.SingleProcessResultsAsync();

        var output = await _bed.WaitForOutputAsync(expected.Count, TimeSpan.FromSeconds(180));

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
        await _bed.ProduceInputAsync(0, RecordsPerPartition, flush: true);
        var expected = await _bed.SingleProcessResultsAsync();
        for (var i = 0; i < 3; i++)
        {
            await _bed.StartAndJoinAsync($"instance {i}", "heap", standbyReplicas: 1);
        }

        Assert.Equal(expected, await _bed.WaitForOutputAsync(expected.Count));
        await Poll.UntilAsync(
            // A standby's lag counts the marker of the last transaction on each changelog it follows (up to two here).
            () => _bed.Instances.All(static i => i.LastReplicas.Standbys.Count > 0 && i.LastReplicas.Standbys.Values.All(static s => s.Lag is >= 0 and <= 2)),
            () => "every instance keeping caught-up standbys: " + string.Join(" | ", _bed.Instances.Select(static i => i.Output.Split('\n').LastOrDefault(static l => l.StartsWith("replicas", StringComparison.Ordinal)))),
            TimeSpan.FromSeconds(60));

        var victim = _bed.Instances[0];
        var survivors = _bed.Instances.Skip(1).ToList();
        var moved = victim.LastStatus!.Tasks.Keys.ToList();
        var standbys = survivors.SelectMany(static s => s.LastReplicas.Standbys.Keys).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(moved);
        Assert.All(moved, t => Assert.True(standbys.Contains(t), $"task {t} of the victim has no standby on a survivor"));
        victim.Kill();

        await Poll.UntilAsync(
            () => moved.All(t => survivors.Any(s => s.LastStatus?.Tasks.GetValueOrDefault(t) == "Running")),
            () => "the survivors running the victim's tasks: " + string.Join(" | ", survivors.Select(static s => s.LastStatus)),
            TimeSpan.FromSeconds(90));
        foreach (var task in moved)
        {
            var restored = survivors.Select(s => s.LastReplicas.Restored.GetValueOrDefault(task, -1)).Max();
            Assert.True(restored == 0, $"task {task} replayed {restored} changelog records though its standby had caught up");
        }

        var partitions = moved.Select(static t => int.Parse(t.Split('_')[1], System.Globalization.CultureInfo.InvariantCulture)).Distinct();
        Assert.True(partitions.All(p => _bed.ChangelogRecords(p) > 0), "the changelogs hold nothing a cold restore of the moved tasks would read");
        Assert.Equal(expected, await _bed.WaitForOutputAsync(expected.Count));
    }

    /// <summary>
    /// An instance stopped with SIGTERM and started again with the same state directory and instance id restores its
    /// tasks from the copies it saved: it reads none of the changelog records written before it stopped, and the
    /// output stays exactly the single-process output.
    /// </summary>
    [Fact]
    public async Task Restart_WithItsStateDirectory_ReadsNothingItsSavedCopiesHold()
    {
        await _bed.ProduceInputAsync(0, RecordsPerPartition, flush: true);
        var expected = await _bed.SingleProcessResultsAsync();
        var first = await _bed.StartAndJoinAsync("instance a", "heap", instanceId: "a");
        Assert.Equal(expected, await _bed.WaitForOutputAsync(expected.Count));
        var tasks = first.LastStatus!.Tasks.Count;
        Assert.Equal(0, await first.StopAsync(TimeSpan.FromSeconds(90)));
        Assert.True(Enumerable.Range(0, ApplicationTestBed.Partitions).Sum(_bed.ChangelogRecords) > 0, "the first run wrote no changelog records");

        var second = await _bed.StartAndJoinAsync("instance a", "heap", instanceId: "a");
        await Poll.UntilAsync(
            () => second.LastStatus is { AllRunning: true } status && status.Tasks.Count == tasks,
            () => "the restarted instance running every task: " + second.LastStatus,
            TimeSpan.FromSeconds(90));

        Assert.Equal(0, second.LastReplicas.Restored.Values.Sum());
        Assert.Equal(expected, await _bed.WaitForOutputAsync(expected.Count));
    }

    [Fact]
    public async Task MismatchedJobGraph_IsRefusedNamingBothFingerprints()
    {
        var first = await StartInstanceAsync("original", "heap");
        var changed = _bed.Start("changed", "heap", variant: 1);

        var exit = await changed.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exit);
        var original = first.Output.Split("joined fingerprint=")[1].Split('\n')[0].Trim();
        Assert.Contains($"differs from the one application 'app' runs (fingerprint {original})", changed.Output, StringComparison.Ordinal);
        Assert.False(first.HasExited, first.Output);
    }

    private Task<ApplicationInstanceProcess> StartInstanceAsync(string name, string backend) => _bed.StartAndJoinAsync(name, backend);
}
