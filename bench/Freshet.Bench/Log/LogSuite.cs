using System.Globalization;
using System.Runtime.InteropServices;
using Freshet.Bench.Reporting;
using Freshet.Log.Durability;

namespace Freshet.Bench.Log;

/// <summary>
/// The <c>log</c> suite: throughput of the embedded log against the raw disk, each Freshet
/// measurement paired with its baseline in the same run. Every pair is repeated (default 5 times)
/// with the order alternating, and medians are reported, because the machines are shared and noisy.
/// <list type="bullet">
/// <item>append: one partition, one thread, flush left to the OS, against a FileStream write loop of the same bytes;</item>
/// <item>fsync append: the same with an fsync after every 1 MiB on both sides (three times as many pairs, each a third of the size);</item>
/// <item>read: Partition.Read in 1 MiB requests over the whole log, against reading its .log file in 1 MiB chunks (both hot in the page cache);</item>
/// <item>8 partitions: eight writer threads, one partition each, against eight threads writing eight files.</item>
/// </list>
/// Options: <c>--total-mb N</c> (bytes per measurement, default 1024), <c>--reps N</c> (default 5),
/// <c>--dir PATH</c> (parent of the scratch directory, default the system temp directory),
/// <c>--only LIST</c> (comma-separated subset of append,fsync,parallel,read, for profiling; the RESULT line then holds only those).
/// </summary>
internal static class LogSuite
{
    public const string Name = "log";

    private const long MiB = 1024 * 1024;
    private const int ReadChunkBytes = 1024 * 1024;
    private const int ReadPasses = 3;
    private const int ParallelWriters = 8;
    private const int FsyncSplit = 3;

    public static int Run(string[] args)
    {
        if (!TryParseOptions(args, out var totalMb, out var reps, out var parent, out var only))
        {
            Console.Error.WriteLine("usage: Freshet.Bench log [--total-mb N] [--reps N] [--dir PATH] [--only append,fsync,parallel,read]");
            return 2;
        }

        var workload = LogWorkload.Create(totalMb * MiB);
        using var scratch = new ScratchDirectory(parent);
        Console.WriteLine($"Freshet log suite: {workload.BatchCount} batches of {workload.Batch.Length} bytes ({workload.RecordsPerBatch} records of {LogWorkload.RecordValueBytes} B) = {workload.TotalBytes / 1e6:N0} MB per measurement, {reps} repetitions, medians");
        Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, scratch {scratch.Path}");
        Console.WriteLine();

        WarmUp(scratch, workload);

        var append = new Comparison("append 1p (os flush)", "MB/s", "FileStream.Write loop");
        var fsyncAppend = new Comparison("append 1p (fsync/1MiB)", "MB/s", "FileStream.Write + Flush(true)/1MiB");
        var parallel = new Comparison($"append {ParallelWriters}p, {ParallelWriters} threads", "MB/s", $"{ParallelWriters} FileStreams, {ParallelWriters} threads");
        var read = new Comparison("read 1 MiB requests", "MB/s", "RandomAccess.Read 1 MiB chunks");
        var readFresh = new Comparison("read, new array per request", "MB/s", "RandomAccess.Read, new 1 MiB array per chunk");

        var flushEveryMiB = FlushPolicy.Bytes(MiB);
        for (var rep = 0; rep < reps && only.Contains("append"); rep++)
        {
            Progress($"rep {rep + 1}/{reps}: append");
            Pair(rep, append,
                () => MBps(workload.TotalBytes, InFreshDirectory(scratch, d => FreshetLog.Append(d, workload, FlushPolicy.OperatingSystem))),
                () => MBps(workload.TotalBytes, InFreshDirectory(scratch, d => RawFile.Write(Path.Combine(d, "raw.bin"), workload, fsyncEveryBytes: 0))));
        }

        // The disk is the noisiest resource of a shared machine: three times as many pairs of a third
        // of the size (same bytes in all) alternate more often, so slow phases hit both sides alike.
        var fsyncWorkload = workload.WithBatchCount(Math.Max(1, workload.BatchCount / FsyncSplit));
        for (var rep = 0; rep < reps * FsyncSplit && only.Contains("fsync"); rep++)
        {
            Progress($"rep {rep + 1}/{reps * FsyncSplit}: append with fsync every MiB");
            Pair(rep, fsyncAppend,
                () => MBps(fsyncWorkload.TotalBytes, InFreshDirectory(scratch, d => FreshetLog.Append(d, fsyncWorkload, flushEveryMiB))),
                () => MBps(fsyncWorkload.TotalBytes, InFreshDirectory(scratch, d => RawFile.Write(Path.Combine(d, "raw.bin"), fsyncWorkload, fsyncEveryBytes: MiB))));
        }

        var parallelWorkload = workload.WithBatchCount(workload.BatchCount / ParallelWriters * ParallelWriters);
        for (var rep = 0; rep < reps && only.Contains("parallel"); rep++)
        {
            Progress($"rep {rep + 1}/{reps}: append from {ParallelWriters} threads");
            Pair(rep, parallel,
                () => MBps(parallelWorkload.TotalBytes, InFreshDirectory(scratch, d => FreshetLog.AppendParallel(d, parallelWorkload, FlushPolicy.OperatingSystem, ParallelWriters))),
                () => MBps(parallelWorkload.TotalBytes, InFreshDirectory(scratch, d => RawFile.WriteParallel(d, parallelWorkload, ParallelWriters))));
        }

        if (only.Contains("read"))
        {
            MeasureReads(scratch, workload, read, readFresh, reps);
        }

        var comparisons = new[] { append, fsyncAppend, read, readFresh, parallel }.Where(c => c.FreshetSamples.Count > 0).ToArray();
        Console.WriteLine();
        Console.Write(ResultTable.Format(comparisons));
        Console.WriteLine("MB = 10^6 bytes; ratio = freshet median / baseline median (1.0 = as fast as the raw disk).");

        var recordsPerByte = (double)workload.RecordsPerBatch / workload.Batch.Length;
        var result = new ResultLine();
        if (append.FreshetSamples.Count > 0)
        {
            result.Add("append_mb_s", append.FreshetMedian, 1);
            result.Add("raw_write_mb_s", append.BaselineMedian, 1);
            result.Add("append_ratio", append.Ratio);
            result.Add("append_records_s", append.FreshetMedian * 1e6 * recordsPerByte, 0);
        }

        if (fsyncAppend.FreshetSamples.Count > 0)
        {
            result.Add("fsync_append_mb_s", fsyncAppend.FreshetMedian, 1);
            result.Add("raw_fsync_write_mb_s", fsyncAppend.BaselineMedian, 1);
            result.Add("fsync_append_ratio", fsyncAppend.Ratio);
        }

        if (read.FreshetSamples.Count > 0)
        {
            result.Add("read_mb_s", read.FreshetMedian, 1);
            result.Add("raw_read_mb_s", read.BaselineMedian, 1);
            result.Add("read_ratio", read.Ratio);
            result.Add("raw_read_fresh_buffers_mb_s", readFresh.BaselineMedian, 1);
            result.Add("read_fresh_buffers_ratio", readFresh.Ratio);
        }

        if (parallel.FreshetSamples.Count > 0)
        {
            result.Add("append_8p_mb_s", parallel.FreshetMedian, 1);
            result.Add("raw_write_8p_mb_s", parallel.BaselineMedian, 1);
            result.Add("append_8p_ratio", parallel.Ratio);
        }

        result.Add("total_mb", workload.TotalBytes / 1e6, 1);
        result.Add("reps", reps, 0);
        Console.WriteLine(result);
        return 0;
    }

    /// <summary>
    /// Writes the log once, then reads it back with Freshet and raw. Both read hot from the page
    /// cache: the file was just written, and an untimed pass of each runs first. The raw side reads
    /// the very <c>.log</c> file the partition reads, in chunks of the same size: once into a reused
    /// buffer (the raw disk), once into a new array per chunk, since <see cref="Freshet.Log.Partitions.Partition.Read"/>
    /// returns memory its caller owns and so must allocate per read.
    /// </summary>
    private static void MeasureReads(ScratchDirectory scratch, LogWorkload workload, Comparison read, Comparison readFresh, int reps)
    {
        Progress("read: writing the log to read");
        var directory = scratch.CreateSubdirectory("read");
        using var store = FreshetLog.Prepare(directory, workload);
        var partition = store.GetPartition(FreshetLog.Topic, 0);
        if (partition.SegmentCount != 1)
        {
            throw new InvalidOperationException($"Expected one segment to read, found {partition.SegmentCount}.");
        }

        var logFile = partition.Segments[0].LogPath;
        RawFile.ReadAll(logFile, ReadChunkBytes, 1, out _);
        RawFile.ReadAll(logFile, ReadChunkBytes, 1, out _, freshBuffers: true);
        FreshetLog.ReadAll(partition, ReadChunkBytes, 1, out _);
        FreshetLog.ReadAll(partition, ReadChunkBytes, 1, out _, reuseBuffer: false);
        var measurements = new Action[]
        {
            () =>
            {
                var elapsed = FreshetLog.ReadAll(partition, ReadChunkBytes, ReadPasses, out var bytes);
                read.AddFreshet(MBps(bytes, elapsed));
            },
            () =>
            {
                var elapsed = FreshetLog.ReadAll(partition, ReadChunkBytes, ReadPasses, out var bytes, reuseBuffer: false);
                readFresh.AddFreshet(MBps(bytes, elapsed));
            },
            () =>
            {
                var elapsed = RawFile.ReadAll(logFile, ReadChunkBytes, ReadPasses, out var bytes);
                read.AddBaseline(MBps(bytes, elapsed));
            },
            () =>
            {
                var elapsed = RawFile.ReadAll(logFile, ReadChunkBytes, ReadPasses, out var bytes, freshBuffers: true);
                readFresh.AddBaseline(MBps(bytes, elapsed));
            },
        };
        for (var rep = 0; rep < reps; rep++)
        {
            Progress($"rep {rep + 1}/{reps}: read");

            // Rotate the order so that each measurement runs first, second and third alike.
            for (var i = 0; i < measurements.Length; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                measurements[(rep + i) % measurements.Length]();
            }
        }
    }

    /// <summary>Runs every code path on a small workload so the measured runs use optimized (tier-1) code.</summary>
    private static void WarmUp(ScratchDirectory scratch, LogWorkload workload)
    {
        Progress("warm-up");
        var small = workload.WithBatchCount(Math.Min(workload.BatchCount, 2048));
        for (var i = 0; i < 3; i++)
        {
            InFreshDirectory(scratch, d => FreshetLog.Append(d, small, FlushPolicy.OperatingSystem));
            InFreshDirectory(scratch, d => RawFile.Write(Path.Combine(d, "raw.bin"), small, 0));
            InFreshDirectory(scratch, d =>
            {
                using var store = FreshetLog.Prepare(d, small);
                var partition = store.GetPartition(FreshetLog.Topic, 0);
                RawFile.ReadAll(partition.Segments[0].LogPath, ReadChunkBytes, 1, out _);
                return FreshetLog.ReadAll(partition, ReadChunkBytes, 1, out _);
            });
            Thread.Sleep(200);
        }
    }

    /// <summary>Measures Freshet and the baseline once each, alternating which goes first so drift hits both alike.</summary>
    private static void Pair(int rep, Comparison comparison, Func<double> freshet, Func<double> baseline)
    {
        if (rep % 2 == 0)
        {
            comparison.AddFreshet(Quiesced(freshet));
            comparison.AddBaseline(Quiesced(baseline));
        }
        else
        {
            comparison.AddBaseline(Quiesced(baseline));
            comparison.AddFreshet(Quiesced(freshet));
        }
    }

    private static double Quiesced(Func<double> measure)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return measure();
    }

    /// <summary>Runs <paramref name="measure"/> in a new directory and deletes it afterwards (untimed).</summary>
    private static TimeSpan InFreshDirectory(ScratchDirectory scratch, Func<string, TimeSpan> measure)
    {
        var directory = scratch.CreateSubdirectory(Guid.NewGuid().ToString("N")[..8]);
        try
        {
            return measure(directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static double MBps(long bytes, TimeSpan elapsed) => bytes / 1e6 / elapsed.TotalSeconds;

    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    private static bool TryParseOptions(string[] args, out long totalMb, out int reps, out string? parent, out HashSet<string> only)
    {
        totalMb = 1024;
        reps = 5;
        parent = null;
        only = ["append", "fsync", "parallel", "read"];
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--total-mb" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out totalMb) && totalMb > 0:
                case "--reps" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out reps) && reps > 0:
                    i++;
                    break;
                case "--only" when value is not null && value.Split(',').All(only.Contains):
                    only = [.. value.Split(',')];
                    i++;
                    break;
                case "--dir" when value is not null:
                    parent = value;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"log: unknown or invalid option '{args[i]}'.");
                    return false;
            }
        }

        return true;
    }
}
