using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Streaming.Application.Membership;
using Freshet.Streaming.Tests.TestSupport;
using Xunit.Abstractions;

namespace Freshet.Streaming.Tests.Application;

/// <summary>
/// An instance cut off from the broker, end to end: three test host processes against a real broker, one of them
/// reaching it only through a <see cref="PartitionableProxy"/> that blackholes it (connections kept open, nothing
/// answered) while input keeps arriving and its transactions are open. It must let go of its tasks, stay up, and be
/// fenced — the read_committed output stays exactly the single-process output — and come back when the link heals, or
/// stop cleanly when stopped while still cut off.
/// </summary>
/// <remarks>
/// The instances' session timeout is 6 s with 500 ms heartbeats (the test host's settings), so the cut-off instance's
/// lease runs out 5.5 s after its last answered heartbeat. Every wait has a deadline of a minute or more, and the
/// only comparison of moments allows seconds of slack: the status lines it rests on come every 500 ms from processes
/// that a loaded machine may run late.
/// </remarks>
[Collection(ApplicationTimingCollection.Name)]
public sealed class ApplicationPartitionTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const int TaskCount = 3 * ApplicationTestBed.Partitions;

    /// <summary>Input records per partition in each chunk the feeder writes (70 ms of event time).</summary>
    private const int Chunk = 10;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly CancellationTokenSource _stopFeeding = new();
    private ApplicationTestBed _bed = null!;
    private PartitionableProxy _proxy = null!;
    private ApplicationInstanceProcess[] _survivors = [];
    private ApplicationInstanceProcess _cutOff = null!;
    private ApplicationInstanceProcess[] _all = [];
    private Task<int> _feeder = Task.FromResult(0);

    public async Task InitializeAsync()
    {
        _bed = await ApplicationTestBed.StartAsync();
        _proxy = new PartitionableProxy(_bed.Broker.Broker.Port);
    }

    public async Task DisposeAsync()
    {
        await _stopFeeding.CancelAsync();
        await Task.WhenAny(_feeder);
        _stopFeeding.Dispose();
        await _bed.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    [Fact]
    public async Task InstanceCutOffFromTheBroker_StopsAndIsFenced_RejoinsAfterHealing_OutputIsExactlyOnce()
    {
        await CutOffWhileTransactionsAreOpenAsync();

        _proxy.Heal();
        var healedAt = DateTime.UtcNow;
        var reshared = await WaitUntilSharedAsync(_all, healedAt, "the healed instance to rejoin and the three to share the tasks again");
        log.WriteLine($"shared again {(reshared.ReceivedAt - healedAt).TotalSeconds:F1} s after healing (generation {reshared.Generation}): {string.Join(" | ", _all.Select(static i => i.LastStatus))}");
        await WaitForOutputGrowthAsync(_bed.Committed().Count, "output after healing");

        await AssertOutputIsExactlyOnceAsync();
        Assert.All(_all, static i => Assert.False(i.HasExited, i.Output));
        await _bed.StopAllAsync();
    }

    /// <summary>
    /// Stopping an instance that is still cut off (an operator gives up on it): its tasks, stuck in commits the broker
    /// never answers, give up within their timeouts, it leaves as far as it can, and it exits cleanly; the others
    /// finish the job exactly once.
    /// </summary>
    [Fact]
    public async Task InstanceCutOffFromTheBroker_StoppedWhileCutOff_ExitsCleanly_OthersFinishExactlyOnce()
    {
        await CutOffWhileTransactionsAreOpenAsync();

        var stoppingAt = DateTime.UtcNow;
        var exit = await _cutOff.StopAsync(TimeSpan.FromSeconds(180));
        log.WriteLine($"stopped while cut off in {(DateTime.UtcNow - stoppingAt).TotalSeconds:F1} s, exit code {exit}");
        Assert.True(exit == 0, $"exit code {exit}: {_cutOff.Output[^Math.Min(4000, _cutOff.Output.Length)..]}");

        await AssertOutputIsExactlyOnceAsync();
        Assert.All(_survivors, static i => Assert.False(i.HasExited, i.Output));
        await _bed.StopAllAsync();
    }

    /// <summary>
    /// Starts the three instances and the input, cuts the third off while some of its tasks have transactions open,
    /// and checks what must follow while the cut lasts: the cut-off instance revokes every task (before or about when
    /// the survivors are given them), the survivors run all tasks and keep writing output, the cut-off instance stays up.
    /// </summary>
    private async Task CutOffWhileTransactionsAreOpenAsync()
    {
        _survivors = [_bed.Start("survivor 1", "heap"), _bed.Start("survivor 2", "heap")];
        _cutOff = _bed.Start("cut off", "heap", bootstrap: _proxy.BootstrapServers);
        _all = [.. _survivors, _cutOff];
        foreach (var instance in _all)
        {
            await instance.WaitUntilJoinedAsync();
        }

        _feeder = FeedAsync(_stopFeeding.Token);
        var shared = await WaitUntilSharedAsync(_all, DateTime.UtcNow, "the three instances to share the tasks");
        await WaitForOutputGrowthAsync(0, "output before the cut");

        // The harsher case: the cut comes while the instance's transactions are open (records written, not committed).
        var tasksAtCut = await WaitForOpenTransactionsAsync(_cutOff);

        // Every client of the instance goes through the proxy: its group member, and its tasks' producers and consumers.
        Assert.All(
            new[] { ApiKeys.JoinGroup, ApiKeys.Heartbeat, ApiKeys.InitProducerId, ApiKeys.Produce, ApiKeys.AddOffsetsToTxn, ApiKeys.EndTxn, ApiKeys.Fetch },
            api => Assert.True(_proxy.RequestsForwarded(api) > 0, $"no {api} request went through the proxy"));
        _proxy.Cut();
        var cutAt = DateTime.UtcNow;
        var openAtCut = await OpenTransactionsAsync(tasksAtCut);
        log.WriteLine($"cut at generation {shared.Generation}; the cut-off instance ran [{string.Join(",", tasksAtCut)}], {openAtCut.Count} with open transactions [{string.Join(",", openAtCut)}]");
        Assert.NotEmpty(openAtCut);

        var revoked = await _cutOff.WaitForStatusAsync(cutAt, static s => s.Tasks.Count == 0, Patience, "revocation of every task while cut off");
        var firstTakeover = await WaitForAnyStatusAsync(_survivors, cutAt, s => s.Tasks.Keys.Any(tasksAtCut.Contains), "a survivor to be given a task of the cut-off instance");
        var takenOver = await WaitUntilSharedAsync(_survivors, cutAt, "the survivors to run every task");
        log.WriteLine($"revoked {(revoked.ReceivedAt - cutAt).TotalSeconds:F1} s after the cut; survivors given its first task after {(firstTakeover.ReceivedAt - cutAt).TotalSeconds:F1} s, running all {TaskCount} after {(takenOver.ReceivedAt - cutAt).TotalSeconds:F1} s (generation {takenOver.Generation})");

        // The lease: the cut-off instance lets go before the coordinator gives its work away. Seen through status lines
        // of loaded processes, "before" is allowed a few seconds' slack.
        Assert.True(revoked.ReceivedAt <= firstTakeover.ReceivedAt + TimeSpan.FromSeconds(4), $"revoked at {revoked.ReceivedAt:HH:mm:ss.fff}, yet a survivor held one of its tasks at {firstTakeover.ReceivedAt:HH:mm:ss.fff}");
        Assert.True(takenOver.Generation > shared.Generation);

        // The survivors do the work while the cut lasts; the cut-off instance stays up and idle.
        await WaitForOutputGrowthAsync(_bed.Committed().Count, "output from the survivors during the cut");
        Assert.False(_cutOff.HasExited, _cutOff.Output);
        Assert.Empty(_cutOff.LastStatus!.Tasks);
    }

    /// <summary>Stops the input with a last chunk that closes every window, and compares the read_committed output with the single-process run's.</summary>
    private async Task AssertOutputIsExactlyOnceAsync()
    {
        await _stopFeeding.CancelAsync();
        var chunks = await _feeder;
        await _bed.ProduceInputAsync(chunks * Chunk, (chunks + 1) * Chunk, flush: true);
        var expected = await _bed.SingleProcessResultsAsync();
        var output = await _bed.WaitForOutputAsync(expected.Count, TimeSpan.FromSeconds(180));

        Assert.True(expected.SequenceEqual(output), $"{expected.Count} expected, {output.Count} written; missing [{string.Join(", ", expected.Except(output).Take(10))}], extra [{string.Join(", ", output.Except(expected).Take(10))}]");
    }

    /// <summary>Writes a chunk of input to every partition about every 300 ms until stopped; returns the number of chunks written.</summary>
    private async Task<int> FeedAsync(CancellationToken stop)
    {
        var chunks = 0;
        while (!stop.IsCancellationRequested)
        {
            await _bed.ProduceInputAsync(chunks * Chunk, (chunks + 1) * Chunk, flush: false);
            chunks++;
            try
            {
                await Task.Delay(300, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return chunks;
    }

    /// <summary>
    /// Waits until the last status lines (received since <paramref name="since"/>) of <paramref name="instances"/> show
    /// one generation in which they hold every task between them, each some, all running; returns the latest of those lines.
    /// </summary>
    private async Task<InstanceStatusLine> WaitUntilSharedAsync(IReadOnlyList<ApplicationInstanceProcess> instances, DateTime since, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var statuses = instances.Select(static i => i.LastStatus).ToArray();
            if (statuses.All(s => s is not null && s.ReceivedAt >= since && s.AllRunning)
                && statuses.Select(static s => s!.Generation).Distinct().Count() == 1
                && statuses.SelectMany(static s => s!.Tasks.Keys).Distinct(StringComparer.Ordinal).Count() == TaskCount
                && statuses.Sum(static s => s!.Tasks.Count) == TaskCount)
            {
                return statuses.MaxBy(static s => s!.ReceivedAt)!;
            }

            Assert.All(instances, i => Assert.False(i.HasExited, $"{i.Name} exited while waiting for {what}: {i.Output}"));
            Assert.True(DateTime.UtcNow < deadline, $"no {what} within {Patience}: {string.Join(" | ", instances.Select(static i => $"{i.Name} {i.LastStatus}"))}\n{_bed.Tails()}");
            await Task.Delay(100);
        }
    }

    /// <summary>The earliest status line since <paramref name="since"/> of any of <paramref name="instances"/> that satisfies <paramref name="condition"/>.</summary>
    private async Task<InstanceStatusLine> WaitForAnyStatusAsync(IReadOnlyList<ApplicationInstanceProcess> instances, DateTime since, Func<InstanceStatusLine, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var found = instances.Select(i => i.FirstStatus(since, condition)).Where(static s => s is not null).MinBy(static s => s!.ReceivedAt);
            if (found is not null)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {what} within {Patience}: {string.Join(" | ", instances.Select(static i => $"{i.Name} {i.LastStatus}"))}");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the committed output holds more than <paramref name="count"/> records.</summary>
    private async Task WaitForOutputGrowthAsync(int count, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (_bed.Committed().Count <= count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no {what} within {Patience} ({count} records committed): {_bed.Tails()}");
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until at least three of the instance's tasks have a transaction open on the broker (so that some still do a moment later, at the cut); returns the instance's tasks.</summary>
    private async Task<HashSet<string>> WaitForOpenTransactionsAsync(ApplicationInstanceProcess instance)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var tasks = instance.LastStatus!.Tasks.Keys.ToHashSet(StringComparer.Ordinal);
            if ((await OpenTransactionsAsync(tasks)).Count > 2)
            {
                return tasks;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{instance.Name} never had transactions open: {instance.Output[^Math.Min(3000, instance.Output.Length)..]}");
            await Task.Delay(20);
        }
    }

    /// <summary>Those of <paramref name="tasks"/> whose transactional id (<c>app-{task}</c>) has a transaction in progress, asked of the broker directly with DescribeTransactions.</summary>
    private async Task<List<string>> OpenTransactionsAsync(IReadOnlyCollection<string> tasks)
    {
        await using var connection = await KafkaConnection.ConnectAsync(
            new BrokerAddress("127.0.0.1", _bed.Broker.Broker.Port),
            [new ApiVersionRange(ApiKeys.DescribeTransactions, 0, 0)],
            new KafkaConnectionOptions(),
            CancellationToken.None);
        var response = await connection.SendAsync<DescribeTransactionsRequest, DescribeTransactionsResponse>(
            new DescribeTransactionsRequest { TransactionalIds = [.. tasks.Select(static t => "app-" + t)] },
            TimeSpan.FromSeconds(30),
            CancellationToken.None);
        return [.. response.TransactionStates.Where(static s => s.TransactionState == "Ongoing").Select(static s => s.TransactionalId["app-".Length..])];
    }
}
