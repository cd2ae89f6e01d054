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
