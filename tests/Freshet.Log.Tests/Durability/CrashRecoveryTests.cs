using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Freshet.Log.CrashHost;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Tests.TestSupport;
using Xunit.Abstractions;

namespace Freshet.Log.Tests.Durability;

/// <summary>
/// The durability contract (DESIGN.md decision 2) under a real <c>kill -9</c>: a child process
/// (tests/Freshet.Log.CrashHost) appends deterministic batches under <c>FlushPolicy.EveryAppend</c>
/// and prints an ACK line after each append returns; this test kills it with SIGKILL at random
/// moments, reopens the store, and checks that every acknowledged record is stored exactly once, in
/// order, byte for byte, at the offsets it was acknowledged with, and that the whole log reads back
/// without a single invalid batch. Then the child restarts on the same directory and continues.
/// <para>
/// <c>FRESHET_CRASH_SOAK_ITERATIONS=N</c> runs N kills instead of the default 20 (a fresh directory
/// every 25 kills so verification stays linear); <c>FRESHET_CRASH_SEED</c> replays a run's timing.
/// </para>
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const int DefaultKills = 20;
    private const int KillsPerDirectory = 25;

    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _root = new();

    public CrashRecoveryTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task Append_ProcessKilledAtRandomMoments_EveryAcknowledgedRecordSurvivesExactlyOnce()
    {
        var kills = ReadPositiveInt("FRESHET_CRASH_SOAK_ITERATIONS") ?? DefaultKills;
        var seed = ReadPositiveInt("FRESHET_CRASH_SEED") ?? Random.Shared.Next(1, int.MaxValue);
        var random = new Random(seed);
        _output.WriteLine($"crash host {CrashHostPath}; {kills} kills; FRESHET_CRASH_SEED={seed}");

        var acks = new List<Ack>();
        var dataDirectory = string.Empty;
        var repairs = 0;
        for (var kill = 0; kill < kills; kill++)
        {
            if (kill % KillsPerDirectory == 0)
            {
                dataDirectory = _root.Combine($"data-{kill / KillsPerDirectory}");
                acks.Clear();
            }

            var delayMs = random.Next(50, 401);
            var run = await RunUntilKilledAsync(dataDirectory, delayMs);
            Assert.True(run.Acks.Count > 0, "the crash host was killed before acknowledging anything");
            if (acks.Count > 0)
            {
                Assert.True(run.Acks[0].Counter > acks[^1].Counter, $"after a restart the host re-sent batch {run.Acks[0].Counter}, already acknowledged");
            }

            acks.AddRange(run.Acks);
            var (batches, report) = VerifyStore(dataDirectory, acks);
            repairs += report.Count;
            _output.WriteLine($"kill {kill + 1}: {delayMs} ms after the first ACK; {run.Acks.Count} new ACKs, {acks.Count} in all; log holds {batches} batches");
            foreach (var line in report)
            {
                _output.WriteLine("  recovery: " + line);
            }
        }

        _output.WriteLine($"{repairs} recovery report lines over {kills} kills");
    }

    /// <summary>Starts the host, waits for its first ACK, waits <paramref name="delayMs"/> more, and kills it with SIGKILL.</summary>
    private async Task<HostRun> RunUntilKilledAsync(string dataDirectory, int delayMs)
    {
        var start = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CrashHostPath);
        start.ArgumentList.Add(dataDirectory);

        var lines = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        var firstAck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lines.Enqueue(e.Data);
                if (e.Data.StartsWith("ACK ", StringComparison.Ordinal))
                {
                    firstAck.TrySetResult();
                }
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
        var exitedByItself = false;
        try
        {
            // Generous: a loaded CI machine may take seconds to start a .NET process.
            var first = await Task.WhenAny(firstAck.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
            if (first == firstAck.Task)
            {
                await Task.Delay(delayMs);
            }
        }
        finally
        {
            exitedByItself = process.HasExited;
            if (!exitedByItself)
            {
                process.Kill(entireProcessTree: false); // SIGKILL on Unix, TerminateProcess on Windows
            }

            // Also waits until both redirected streams reach end of file, so every line the host wrote has been seen.
            await process.WaitForExitAsync();
        }

        Assert.False(exitedByItself || !firstAck.Task.IsCompleted, $"the crash host {(exitedByItself ? $"exited by itself with code {process.ExitCode}" : "acknowledged nothing within 60 s")}; stderr:\n{string.Join('\n', errors)}\nstdout:\n{string.Join('\n', lines)}");
        return new HostRun(lines.Select(Ack.TryParse).OfType<Ack>().ToList());
    }

    /// <summary>Reopens the store, checks the log against the workload and the acknowledgements, and returns the batch count and recovery report.</summary>
    private static (int Batches, IReadOnlyList<string> Report) VerifyStore(string dataDirectory, IReadOnlyList<Ack> acks)
    {
        using var store = LogStore.Open(dataDirectory, TestLogs.Options());
        var partition = store.GetPartition(CrashWorkload.Topic, 0);
        Assert.Equal(0, partition.LogStartOffset);
        var batches = ReadWorkloadBatches(partition);

        foreach (var ack in acks)
        {
            Assert.True(ack.Counter < batches.Count, $"acknowledged batch {ack.Counter} (offsets {ack.BaseOffset}..{ack.LastOffset}) is missing: the log holds {batches.Count} batches and ends at {partition.LogEndOffset}");
            Assert.True(batches[(int)ack.Counter] == (ack.BaseOffset, ack.LastOffset), $"batch {ack.Counter} was acknowledged at {ack.BaseOffset}..{ack.LastOffset} but is stored at {batches[(int)ack.Counter]}");
        }

        return (batches.Count, store.RecoveryReport.ToArray());
    }

    /// <summary>
    /// Reads the whole partition and checks that it is workload batches 0, 1, 2, ... in order, each
    /// whole, CRC-valid and byte-identical to its derivation, at offsets contiguous from 0.
    /// </summary>
    /// <returns>The offsets of batch <c>i</c> at index <c>i</c>.</returns>
    private static List<(long Base, long Last)> ReadWorkloadBatches(Partition partition)
    {
        var batches = new List<(long, long)>();
        var end = partition.LogEndOffset;
        long next = 0;
        while (next < end)
        {
            var data = partition.Read(next, 256 * 1024).Records;
            Assert.False(data.IsEmpty, $"read at {next} returned nothing though the log ends at {end}");
            var covered = 0;
            foreach (var (header, bytes) in RecordBatchReader.ReadBatches(data))
            {
                covered += bytes.Length;
                var counter = batches.Count;
                Assert.True(header.BaseOffset == next, $"batch {counter} starts at offset {header.BaseOffset}, expected {next}");
                Assert.True(header.Crc == RecordBatchHeader.ComputeCrc(bytes.Span), $"batch {counter} at offset {next} was served with a bad CRC");
                Assert.Equal(CrashWorkload.Compression(counter), header.Compression);
                var records = RecordBatchReader.DecodeBatch(bytes.Span);
                Assert.True(records.Length == CrashWorkload.RecordCount(counter), $"batch {counter} holds {records.Length} records, expected {CrashWorkload.RecordCount(counter)}");
                for (var i = 0; i < records.Length; i++)
                {
                    var record = records[i];
                    Assert.Equal(next + i, record.Offset);
                    Assert.Equal(CrashWorkload.Timestamp(counter, i), record.Timestamp);
                    Assert.True(CrashWorkload.Key(counter, i).AsSpan().SequenceEqual(record.Key), $"record {i} of batch {counter} has the wrong key");
                    Assert.True(CrashWorkload.Value(counter, i).AsSpan().SequenceEqual(record.Value), $"record {i} of batch {counter} has the wrong value");
                    var headers = CrashWorkload.Headers(counter, i);
                    Assert.Equal(headers.Count, record.Headers.Count);
                    for (var h = 0; h < headers.Count; h++)
                    {
                        Assert.Equal(headers[h].Key, record.Headers[h].Key);
                        Assert.True(headers[h].Value.AsSpan().SequenceEqual(record.Headers[h].Value), $"header {h} of record {i} of batch {counter} differs");
                    }
                }

                batches.Add((header.BaseOffset, header.LastOffset));
                next = header.LastOffset + 1;
            }

            Assert.True(covered == data.Length, $"the read at {next} ended with a partial batch");
        }

        Assert.Equal(end, next);
        return batches;
    }

    private static string CrashHostPath { get; } = FindCrashHost();

    /// <summary>The <c>dotnet</c> host running this test, so the child uses the same runtime.</summary>
    private static string DotnetHost
    {
        get
        {
            var current = Environment.ProcessPath;
            if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            {
                return current;
            }

            return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        }
    }

    private static string FindCrashHost()
    {
        // Written into this assembly by the build (see the test csproj), so the child is the one built with these tests.
        var path = typeof(CrashRecoveryTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "Freshet.Log.CrashHostPath")?.Value;
        Assert.False(string.IsNullOrEmpty(path), "the test assembly does not name the crash host; build the solution");
        Assert.True(File.Exists(path), $"the crash host {path} is missing; build the solution");
        return path!;
    }

    private static int? ReadPositiveInt(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;

    public void Dispose() => _root.Dispose();

    private sealed record HostRun(List<Ack> Acks);

    /// <summary>One acknowledged append as the host reported it: "ACK base last counter END".</summary>
    private sealed record Ack(long BaseOffset, long LastOffset, long Counter)
    {
        public static Ack? TryParse(string line)
        {
            // A line cut short by the kill lacks the END marker and was never acknowledged.
            var parts = line.Split(' ');
            return parts.Length == 5 && parts[0] == "ACK" && parts[4] == "END"
                && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var baseOffset)
                && long.TryParse(parts[2], CultureInfo.InvariantCulture, out var lastOffset)
                && long.TryParse(parts[3], CultureInfo.InvariantCulture, out var counter)
                ? new Ack(baseOffset, lastOffset, counter)
                : null;
        }
    }
}
