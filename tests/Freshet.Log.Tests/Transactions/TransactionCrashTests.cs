using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using Freshet.Log.CrashHost;
using Freshet.Log.Tests.TestSupport;
using Xunit.Abstractions;

namespace Freshet.Log.Tests.Transactions;

/// <summary>
/// Transactions under a real <c>kill -9</c>: a child process (tests/Freshet.Log.CrashHost, mode
/// <c>txn</c>) commits transactions over two partitions and prints each commit after EndTransaction
/// returns; this test kills it at random moments and checks, after every kill, that read_committed
/// readers see every acknowledged transaction whole on both partitions, nothing of a transaction that
/// did not commit, and at most one committed transaction per run beyond the acknowledged ones (the one
/// whose commit was decided when the process died). Each restart fences the killed instance and aborts
/// its open transaction.
/// </summary>
public sealed class TransactionCrashTests : IDisposable
{
    private const int Kills = 6;

    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _root = new();

    public TransactionCrashTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task CommitLoop_ProcessKilledAtRandomMoments_ReadCommittedSeesExactlyTheDecidedTransactionsWhole()
    {
        var seed = Random.Shared.Next(1, int.MaxValue);
        var random = new Random(seed);
        _output.WriteLine($"seed {seed}");
        var directory = _root.Combine("data");
        var acknowledged = new List<string>();
        for (var kill = 0; kill < Kills; kill++)
        {
            var run = await RunUntilKilledAsync(directory, random.Next(20, 201));
            Assert.NotEmpty(run);
            acknowledged.AddRange(run);

            var committed = ReadCommittedTransactions(directory, out var report);
            foreach (var id in acknowledged)
            {
                Assert.True(committed.Contains(id), $"acknowledged transaction {id} is not visible to read_committed readers");
            }

            var extra = committed.Except(acknowledged).ToList();
            Assert.True(extra.Count <= kill + 1, $"transactions {string.Join(", ", extra)} committed without being acknowledged, more than one per kill");
            _output.WriteLine($"kill {kill + 1}: {run.Count} commits acknowledged, {committed.Count} visible; recovery: {string.Join(" | ", report)}");
        }

        // A new instance fences the last killed one: then no transaction is open and everything is stable.
        using var store = LogStore.Open(directory, TestLogs.Options());
        store.Transactions.InitProducerId(TransactionCrashWorkload.TransactionalId, 60_000);
        for (var p = 0; p < TransactionCrashWorkload.Partitions; p++)
        {
            var partition = store.GetPartition(TransactionCrashWorkload.Topic, p);
            Assert.Equal(partition.HighWatermark, partition.LastStableOffset);
        }
    }

    /// <summary>
    /// The transaction ids visible to read_committed readers, after checking that each is whole: every
    /// record of it on every partition, in order, and nothing else.
    /// </summary>
    private static HashSet<string> ReadCommittedTransactions(string directory, out IReadOnlyList<string> report)
    {
        using var store = LogStore.Open(directory, TestLogs.Options());
        report = store.RecoveryReport.ToArray();
        HashSet<string>? ids = null;
        for (var p = 0; p < TransactionCrashWorkload.Partitions; p++)
        {
            var values = store.GetPartition(TransactionCrashWorkload.Topic, p).ReadCommittedRecords(0).Select(r => Encoding.UTF8.GetString(r.Value!)).ToList();
            Assert.True(values.Count % TransactionCrashWorkload.RecordsPerPartition == 0, $"partition {p} holds {values.Count} committed records: a transaction is cut");
            var here = new HashSet<string>();
            for (var i = 0; i < values.Count; i += TransactionCrashWorkload.RecordsPerPartition)
            {
                var id = values[i][..values[i].IndexOf('/', StringComparison.Ordinal)];
                for (var r = 0; r < TransactionCrashWorkload.RecordsPerPartition; r++)
                {
                    Assert.Equal(TransactionCrashWorkload.Value(id, p, r), values[i + r]);
                }

                Assert.True(here.Add(id), $"transaction {id} appears twice in partition {p}");
            }

            if (ids is null)
            {
                ids = here;
            }
            else
            {
                Assert.True(ids.SetEquals(here), $"partitions disagree on the committed transactions: {string.Join(",", ids.Except(here).Concat(here.Except(ids)))}");
            }
        }

        return ids!;
    }

    /// <summary>Starts the host, waits for its first commit, waits <paramref name="delayMs"/> more, kills it with SIGKILL, and returns the acknowledged transaction ids.</summary>
    private static async Task<List<string>> RunUntilKilledAsync(string directory, int delayMs)
    {
        var start = new ProcessStartInfo(DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(CrashHostPath);
        start.ArgumentList.Add("txn");
        start.ArgumentList.Add(directory);
        var lines = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        var firstCommit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lines.Enqueue(e.Data);
                firstCommit.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                errors.Enqueue(e.Data);
            }
        };

        Assert.True(process.Start());
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        bool exitedByItself;
        try
        {
            var first = await Task.WhenAny(firstCommit.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
            if (first == firstCommit.Task)
            {
                await Task.Delay(delayMs);
            }
        }
        finally
        {
            exitedByItself = process.HasExited;
            if (!exitedByItself)
            {
                process.Kill(entireProcessTree: false);
            }

            await process.WaitForExitAsync();
        }

        Assert.False(exitedByItself || !firstCommit.Task.IsCompleted, $"the crash host did not commit before being killed; stderr:\n{string.Join('\n', errors)}");

        // Only whole lines count: a line cut by the kill has no END.
        return lines.Where(l => l.StartsWith("COMMIT ", StringComparison.Ordinal) && l.EndsWith(" END", StringComparison.Ordinal))
            .Select(l => l["COMMIT ".Length..^" END".Length])
            .ToList();
    }

    private static string CrashHostPath
    {
        get
        {
            var path = typeof(TransactionCrashTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "Freshet.Log.CrashHostPath")?.Value;
            Assert.True(File.Exists(path), $"the crash host '{path}' is missing; build the solution");
            return path!;
        }
    }

    private static string DotnetHost =>
        Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? current
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
