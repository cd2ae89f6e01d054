using System.Diagnostics;
using Freshet.Log;
using Freshet.Log.Durability;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Topics;

namespace Freshet.Bench.Log;

/// <summary>
/// The Freshet side of the log suite: appends and reads through <see cref="LogStore"/> and
/// <see cref="Partition"/> exactly as an embedded application does. Each method returns the
/// elapsed time of the timed part only (opening and closing the store are not timed; closing fsyncs,
/// and the raw baselines fsync after their timed part too).
/// </summary>
internal static class FreshetLog
{
    public const string Topic = "bench";

    public static LogStore OpenStore(string directory, FlushPolicy policy) =>
        LogStore.Open(directory, new LogStoreOptions
        {
            // No background thread competes with the measured one; the suite never needs retention.
            BackgroundMaintenance = false,
            DefaultTopicConfig = TopicConfig.Default with { FlushPolicy = policy },
        });

    /// <summary>Appends the workload to one partition from one thread.</summary>
    public static TimeSpan Append(string directory, LogWorkload workload, FlushPolicy policy)
    {
        using var store = OpenStore(directory, policy);
        store.CreateTopic(Topic, 1);
        var partition = store.GetPartition(Topic, 0);
        var batch = new ReadOnlyMemory<byte>(workload.Batch);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < workload.BatchCount; i++)
        {
            partition.Append(batch);
        }

        return clock.Elapsed;
    }

    /// <summary>Appends the workload split evenly over <paramref name="partitions"/> partitions, one writer thread each.</summary>
    public static TimeSpan AppendParallel(string directory, LogWorkload workload, FlushPolicy policy, int partitions)
    {
        using var store = OpenStore(directory, policy);
        store.CreateTopic(Topic, partitions);
        var perWriter = workload.BatchCount / partitions;
        return Parallelism.RunWriters(partitions, writer =>
        {
            var partition = store.GetPartition(Topic, writer);
            var batch = new ReadOnlyMemory<byte>(workload.Batch);
            return () =>
            {
                for (var i = 0; i < perWriter; i++)
                {
                    partition.Append(batch);
                }
            };
        });
    }

    /// <summary>Writes the workload once (untimed) and returns the open store, for read measurements.</summary>
    public static LogStore Prepare(string directory, LogWorkload workload)
    {
        var store = OpenStore(directory, FlushPolicy.OperatingSystem);
        try
        {
            store.CreateTopic(Topic, 1);
            var partition = store.GetPartition(Topic, 0);
            for (var i = 0; i < workload.BatchCount; i++)
            {
                partition.Append(workload.Batch);
            }

            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the whole partition from offset 0 in requests of <paramref name="maxBytes"/>,
    /// <paramref name="passes"/> times, advancing past the last batch each read returned (as a
    /// consumer does). With <paramref name="reuseBuffer"/> it uses <see cref="Partition.ReadInto"/>
    /// into one buffer (as a network server does); otherwise <see cref="Partition.Read"/>, which
    /// returns a new array per request.
    /// </summary>
    /// <param name="bytesRead">Bytes returned over all passes.</param>
    public static TimeSpan ReadAll(Partition partition, int maxBytes, int passes, out long bytesRead, bool reuseBuffer = true)
    {
        bytesRead = 0;
        var end = partition.LogEndOffset;
        var buffer = new byte[maxBytes];
        var clock = Stopwatch.StartNew();
        for (var pass = 0; pass < passes; pass++)
        {
            long offset = 0;
            while (offset < end)
            {
                ReadOnlySpan<byte> records;
                if (reuseBuffer)
                {
                    var written = partition.ReadInto(offset, buffer, out var firstBatchBytes);
                    if (firstBatchBytes > buffer.Length)
                    {
                        buffer = new byte[firstBatchBytes];
                        continue;
                    }

                    records = buffer.AsSpan(0, written);
                }
                else
                {
                    records = partition.Read(offset, maxBytes).Records.Span;
                }

                var at = 0;
                while (at < records.Length)
                {
                    var header = RecordBatchHeader.Read(records[at..]);
                    offset = header.LastOffset + 1;
                    at += header.TotalSize;
                }

                bytesRead += records.Length;
            }
        }

        return clock.Elapsed;
    }
}
