using Freshet.Application.TestHost;
using Freshet.Streaming.Tests.Application.Membership;

namespace Freshet.Streaming.Tests.Application;

/// <summary>
/// Application mode at-least-once end to end: the test job as several OS processes of one application against a real
/// broker on 127.0.0.1, without transactions, offsets committed with the group generation. Without failures the
/// output is the single-process output; with an instance killed by SIGKILL mid-run nothing is lost (duplicates are
/// allowed).
/// </summary>
[Collection(ApplicationTimingCollection.Name)]
public sealed class ApplicationAtLeastOnceTests : IAsyncLifetime
{
    /// <summary>The test job's 3 sub-topologies of <see cref="ApplicationTestBed.Partitions"/> tasks each.</summary>
    private const int Tasks = 3 * ApplicationTestBed.Partitions;

    /// <summary>
    /// The session timeout of the tests whose output must equal the single-process output: long enough that a loaded
    /// machine never lets a session lapse, since a member removed by the coordinator cannot commit what it processed
    /// and at-least-once then processes it again (which is allowed, but is not what these tests check).
    /// </summary>
    private static readonly TimeSpan NoLapse = TimeSpan.FromSeconds(45);

    private ApplicationTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await ApplicationTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    /// <summary>
    /// The input arrives once the three instances share the tasks, so nothing is revoked while records are processed:
    /// no record is processed twice and the output (windows, then running totals over them) is exactly the
    /// single-process output; the application's group holds the input's end offsets.
    /// </summary>
    [Fact]
    public async Task ThreeProcesses_AtLeastOnceWithoutFailures_WriteExactlyWhatOneProcessComputes()
    {
        for (var i = 0; i < 3; i++)
        {
            await _bed.StartAndJoinAsync($"instance {i}", "heap", atLeastOnce: true, sessionTimeout: NoLapse);
        }

        await WaitUntilSharedAsync(_bed.Instances);
        await _bed.ProduceInputAsync(0, 400, flush: true);
        var expected = await _bed.SingleProcessResultsAsync();

        var output = await _bed.WaitForOutputAsync(expected.Count);

        Assert.Equal(expected, output);
        await Poll.UntilAsync(
            () => Enumerable.Range(0, ApplicationTestBed.Partitions).All(p => CommittedOffset("in", p) == 401),
            () => "the group to commit the input's end offsets: " + string.Join(",", Enumerable.Range(0, ApplicationTestBed.Partitions).Select(p => CommittedOffset("in", p))),
            TimeSpan.FromSeconds(60));
        Assert.All(_bed.Instances, static i => Assert.False(i.HasExited, i.Output));
        await _bed.StopAllAsync();
    }

    /// <summary>
    /// Rebalances while records flow — a third instance joins, then one of the first two stops with SIGTERM — revoke
    /// every task, and each commits once more before the group moves on (as Kafka Streams commits the tasks it loses),
    /// so the next owners process nothing twice: the output of windows and running totals over them is still exactly
    /// the single-process output.
    /// </summary>
    [Fact]
    public async Task Rebalances_AtLeastOnce_TasksCommitBeforeTheyMove_OutputIsTheSingleProcessOutput()
    {
        for (var i = 0; i < 2; i++)
        {
            await _bed.StartAndJoinAsync($"instance {i}", "heap", atLeastOnce: true, sessionTimeout: NoLapse);
        }

        await WaitUntilSharedAsync(_bed.Instances);
        // Records keep arriving in small chunks, so every rebalance finds tasks with work since their last commit.
        const int Chunk = 10;
        const int Chunks = 80;
        var producing = Task.Run(async () =>
        {
            for (var c = 0; c < Chunks; c++)
            {
                await _bed.ProduceInputAsync(c * Chunk, (c + 1) * Chunk, flush: false);
                await Task.Delay(100);
            }
        });
        await Poll.UntilAsync(() => _bed.Committed().Count > 0, () => "the first output. " + _bed.Tails(), TimeSpan.FromSeconds(60));
        var joining = await _bed.StartAndJoinAsync("instance 2", "heap", atLeastOnce: true, sessionTimeout: NoLapse);
        await WaitUntilSharedAsync(_bed.Instances);
        Assert.False(producing.IsCompleted, "the input ended before the rebalances");
        Assert.Equal(0, await _bed.Instances[0].StopAsync(TimeSpan.FromSeconds(90)));
        await producing;
        await _bed.ProduceInputAsync(Chunks * Chunk, Chunks * Chunk, flush: true);
        var expected = await _bed.SingleProcessResultsAsync();

        var output = await _bed.WaitForOutputAsync(expected.Count, TimeSpan.FromSeconds(120));

        Assert.True(expected.SequenceEqual(output), $"{expected.Count} expected, {output.Count} written; missing [{string.Join(", ", expected.Except(output).Take(10))}], extra [{string.Join(", ", output.Except(expected).Take(10))}]");
        Assert.False(joining.HasExited, joining.Output);
    }

    /// <summary>
    /// One of three instances is killed with SIGKILL while records flow, and a new one started: its tasks move and
    /// process again from their last commits. Every input record reaches the output at least once (the job writes each
    /// record as it came, through two repartition topics and keyed state), and nothing else does.
    /// </summary>
    [Fact]
    public async Task InstanceKilledMidRun_AtLeastOnce_LosesNothing()
    {
        const int Variant = ApplicationTestJob.EveryRecordVariant;
        for (var i = 0; i < 3; i++)
        {
            await _bed.StartAndJoinAsync($"instance {i}", "heap", variant: Variant, atLeastOnce: true);
        }

        await WaitUntilSharedAsync(_bed.Instances);
        await _bed.ProduceInputAsync(0, 200, flush: false);
        await Poll.UntilAsync(() => _bed.Committed().Count > 0, () => "the first output. " + _bed.Tails(), TimeSpan.FromSeconds(60));
        await _bed.ProduceInputAsync(200, 400, flush: false);
        var victim = _bed.Instances[0];
        victim.Kill();
        var writtenAtKill = _bed.Committed().Count;
        await _bed.StartAndJoinAsync("instance 3", "heap", variant: Variant, atLeastOnce: true);
        await _bed.ProduceInputAsync(400, 600, flush: true);
        var expected = await _bed.SingleProcessResultsAsync(Variant);

        var missing = expected;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(180);
        while (missing.Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{missing.Count} of {expected.Count} records never arrived, e.g. [{string.Join(", ", missing.Take(10))}]. {_bed.Tails()}");
            await Task.Delay(500);
            missing = Missing(expected, _bed.Committed());
        }

        var output = _bed.Committed();
        Assert.True(writtenAtKill < expected.Count, $"the victim was killed after the whole output was written ({writtenAtKill} of {expected.Count})");
        var known = expected.ToHashSet(StringComparer.Ordinal);
        Assert.All(output, line => Assert.Contains(line, known));
        Assert.All(_bed.Instances.Where(i => i != victim), static i => Assert.False(i.HasExited, i.Output));
    }

    [Fact]
    public async Task InstanceWithAnotherGuarantee_IsRefusedNamingBoth()
    {
        var exactlyOnce = await _bed.StartAndJoinAsync("exactly once", "heap");
        await WaitUntilSharedAsync([exactlyOnce]);
        var atLeastOnce = _bed.Start("at least once", "heap", atLeastOnce: true);

        var exit = await atLeastOnce.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exit);
        Assert.Contains("This instance runs at-least-once", atLeastOnce.Output, StringComparison.Ordinal);
        Assert.Contains("application 'app' runs exactly-once", atLeastOnce.Output, StringComparison.Ordinal);
        Assert.False(exactlyOnce.HasExited, exactlyOnce.Output);
    }

    /// <summary>What of <paramref name="expected"/> (a multiset) <paramref name="output"/> does not hold.</summary>
    private static List<string> Missing(List<string> expected, List<string> output)
    {
        var counts = output.GroupBy(static l => l, StringComparer.Ordinal).ToDictionary(static g => g.Key, static g => g.Count(), StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var line in expected)
        {
            if (counts.TryGetValue(line, out var left) && left > 0)
            {
                counts[line] = left - 1;
            }
            else
            {
                missing.Add(line);
            }
        }

        return missing;
    }

    /// <summary>Waits until <paramref name="instances"/> run every task of the job between them, all in one generation.</summary>
    private static Task WaitUntilSharedAsync(IReadOnlyList<ApplicationInstanceProcess> instances) =>
        Poll.UntilAsync(
            () => instances.All(static i => i.LastStatus is { AllRunning: true }) &&
                  instances.Select(static i => i.LastStatus!.Generation).Distinct().Count() == 1 &&
                  instances.SelectMany(static i => i.LastStatus!.Tasks.Keys).Distinct().Count() == Tasks,
            () => "the instances to share every task: " + string.Join(" | ", instances.Select(static i => i.LastStatus)),
            TimeSpan.FromSeconds(120));

    private long CommittedOffset(string topic, int partition) =>
        _bed.Broker.Store.GroupOffsets.FetchAll("app").Where(c => c.Topic == topic && c.Partition == partition).Select(static c => c.Offset).DefaultIfEmpty(-1).First();
}
