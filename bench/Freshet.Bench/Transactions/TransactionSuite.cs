using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Freshet.Bench.Reporting;
using Freshet.Log;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Transactions;

namespace Freshet.Bench.Transactions;

/// <summary>
/// The <c>txn</c> suite: the cost of Kafka transactions on the embedded log, each measurement paired
/// with its baseline in the same run, repeated (default 5 times) with the order alternating; medians.
/// <list type="bullet">
/// <item>commit: T transactions of B batches (100 records of 100 B each) to one partition — AddPartitions,
/// the appends, EndTransaction(commit), whose state changes and marker are fsynced — against appending the
/// same batches as an idempotent producer without transactions (flush left to the OS on both sides), and
/// against the same idempotent appends with one fsync after each transaction's worth of batches (what the
/// COMMIT marker's fsync costs on its own);</item>
/// <item>read_committed: <see cref="Partition.ReadCommittedRecords"/> over that committed log against decoding
/// every record of the same log with <see cref="Partition.Read"/> and <see cref="RecordBatchReader"/>.</item>
/// </list>
/// Options: <c>--transactions N</c> (default 100), <c>--batches-per-txn N</c> (default 100), <c>--reps N</c> (default 5),
/// <c>--dir PATH</c> (parent of the scratch directory).
/// </summary>
internal static class TransactionSuite
{
    public const string Name = "txn";

    private const string Topic = "bench";
    private const int RecordsPerBatch = 100;
    private const int ValueBytes = 100;

    public static int Run(string[] args)
    {
        if (!TryParseOptions(args, out var transactions, out var batchesPerTransaction, out var reps, out var parent))
        {
            Console.Error.WriteLine("usage: Freshet.Bench txn [--transactions N] [--batches-per-txn N] [--reps N] [--dir PATH]");
            return 2;
        }

        using var scratch = new ScratchDirectory(parent);
        var records = (long)transactions * batchesPerTransaction * RecordsPerBatch;
        Console.WriteLine($"Freshet transaction suite: {transactions} transactions x {batchesPerTransaction} batches x {RecordsPerBatch} records of {ValueBytes} B = {records:N0} records per measurement, {reps} repetitions, medians");
        Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, scratch {scratch.Path}");
        Console.WriteLine();

        var commit = new Comparison($"commit, {batchesPerTransaction} batches/txn", "records/s", "idempotent appends, no transaction");
        var commitVsFsync = new Comparison($"commit, {batchesPerTransaction} batches/txn", "records/s", "idempotent appends + fsync per txn's worth");
        var read = new Comparison("read_committed records", "records/s", "Read + decode every record");

        // Warm-up: every path once on a small workload, so measured runs use optimized code.
        foreach (var mode in Enum.GetValues<Mode>())
        {
            Measure(scratch, Math.Min(transactions, 2), Math.Min(batchesPerTransaction, 10), mode, out _);
        }

        for (var rep = 0; rep < reps; rep++)
        {
            Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] rep {rep + 1}/{reps}");
            // Rotate the order so that each side runs first, second and third alike.
            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var mode = (Mode)((rep + i) % 3);
                var elapsed = Measure(scratch, transactions, batchesPerTransaction, mode, out var readTimes);
                switch (mode)
                {
                    case Mode.Transactional:
                        commit.AddFreshet(records / elapsed.TotalSeconds);
                        commitVsFsync.AddFreshet(records / elapsed.TotalSeconds);
                        read.AddFreshet(records / readTimes.Committed.TotalSeconds);
                        read.AddBaseline(records / readTimes.Plain.TotalSeconds);
                        break;
                    case Mode.Idempotent:
                        commit.AddBaseline(records / elapsed.TotalSeconds);
                        break;
                    default:
                        commitVsFsync.AddBaseline(records / elapsed.TotalSeconds);
                        break;
                }
            }
        }

        Console.Write(ResultTable.Format([commit, commitVsFsync, read]));
        Console.WriteLine("ratio = freshet median / baseline median.");
        var result = new ResultLine();
        result.Add("txn_commit_records_s", commit.FreshetMedian, 0);
        result.Add("idempotent_records_s", commit.BaselineMedian, 0);
        result.Add("txn_commit_ratio", commit.Ratio);
        result.Add("idempotent_fsync_per_txn_records_s", commitVsFsync.BaselineMedian, 0);
        result.Add("txn_commit_vs_fsync_ratio", commitVsFsync.Ratio);
        result.Add("read_committed_records_s", read.FreshetMedian, 0);
        result.Add("read_all_records_s", read.BaselineMedian, 0);
        result.Add("read_committed_ratio", read.Ratio);
        result.Add("batches_per_txn", batchesPerTransaction, 0);
        result.Add("reps", reps, 0);
        Console.WriteLine(result);
        return 0;
    }

    /// <summary>Writes the workload into a fresh store; returns the write time and, for the transactional side, the two read times.</summary>
    private static TimeSpan Measure(ScratchDirectory scratch, int transactions, int batchesPerTransaction, Mode mode, out (TimeSpan Committed, TimeSpan Plain) readTimes)
    {
        var transactional = mode == Mode.Transactional;
        var directory = scratch.CreateSubdirectory(Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using var store = LogStore.Open(directory, new LogStoreOptions { BackgroundMaintenance = false });
            store.CreateTopic(Topic, 1);
            var partition = store.GetPartition(Topic, 0);
            var producer = transactional ? store.Transactions.InitProducerId("bench", 60_000) : new ProducerIdAndEpoch(1, 0);
            var batches = BuildBatches(producer, transactions * batchesPerTransaction, transactional);
            var stopwatch = Stopwatch.StartNew();
            for (var t = 0; t < transactions; t++)
            {
                if (transactional)
                {
                    store.Transactions.AddPartitions("bench", producer.ProducerId, producer.ProducerEpoch, [new TransactionPartition(Topic, 0)]);
                }

                for (var b = 0; b < batchesPerTransaction; b++)
                {
                    partition.Append(batches[(t * batchesPerTransaction) + b]);
                }

                if (transactional)
                {
                    store.Transactions.EndTransaction("bench", producer.ProducerId, producer.ProducerEpoch, commit: true);
                }
                else if (mode == Mode.IdempotentWithFsync)
                {
                    partition.Flush();
                }
            }

            var elapsed = stopwatch.Elapsed;
            readTimes = transactional ? TimeReads(partition, (long)transactions * batchesPerTransaction * RecordsPerBatch) : default;
            return elapsed;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (TimeSpan Committed, TimeSpan Plain) TimeReads(Partition partition, long expectedRecords)
    {
        var stopwatch = Stopwatch.StartNew();
        long committed = 0;
        foreach (var record in partition.ReadCommittedRecords(0))
        {
            committed += record.Value is null ? 0 : 1;
        }

        var committedTime = stopwatch.Elapsed;
        stopwatch.Restart();
        long plain = 0;
        for (var offset = 0L; offset < partition.LogEndOffset;)
        {
            foreach (var (header, bytes) in RecordBatchReader.ReadBatches(partition.Read(offset, 1 << 20).Records))
            {
                if (!header.IsControl)
                {
                    plain += RecordBatchReader.DecodeBatch(bytes.Span).Length;
                }

                offset = header.LastOffset + 1;
            }
        }

        var plainTime = stopwatch.Elapsed;
        if (committed != expectedRecords || plain != expectedRecords)
        {
            throw new InvalidOperationException($"Read back {committed} committed and {plain} records; {expectedRecords} were written.");
        }

        return (committedTime, plainTime);
    }

    private static byte[][] BuildBatches(ProducerIdAndEpoch producer, int count, bool transactional)
    {
        var value = new byte[ValueBytes];
        var batches = new byte[count][];
        var builder = new RecordBatchBuilder { ProducerId = producer.ProducerId, ProducerEpoch = producer.ProducerEpoch, IsTransactional = transactional };
        for (var i = 0; i < count; i++)
        {
            builder.Reset();
            builder.BaseSequence = i * RecordsPerBatch;
            for (var r = 0; r < RecordsPerBatch; r++)
            {
                builder.Add(1_700_000_000_000 + r, BitConverter.GetBytes(r), value);
            }

            batches[i] = builder.Build();
        }

        return batches;
    }

    /// <summary>What one measurement writes.</summary>
    private enum Mode
    {
        Transactional,
        Idempotent,
        IdempotentWithFsync,
    }

    private static bool TryParseOptions(string[] args, out int transactions, out int batchesPerTransaction, out int reps, out string? parent)
    {
        transactions = 100;
        batchesPerTransaction = 100;
        reps = 5;
        parent = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--transactions" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out transactions) && transactions > 0:
                case "--batches-per-txn" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out batchesPerTransaction) && batchesPerTransaction > 0:
                case "--reps" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out reps) && reps > 0:
                    i++;
                    break;
                case "--dir" when value is not null:
                    parent = value;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"txn: unknown or invalid option '{args[i]}'.");
                    return false;
            }
        }

        return true;
    }
}
