using System.Diagnostics;
using System.Text;
using Freshet.Log;
using Freshet.Log.Durability;
using Freshet.Log.Records;
using Freshet.Log.Topics;

namespace Freshet.Cli;

/// <summary>
/// <c>freshet demo</c> until the streaming demo lands: shows, on a real data directory, what the
/// embedded log does and guarantees. Every figure printed is measured, none is canned.
/// </summary>
internal static class LogWalkthrough
{
    /// <param name="dataDirectory">Where to keep the walkthrough's log; null for a new temporary directory, deleted afterwards.</param>
    public static int Run(string? dataDirectory, TextWriter output)
    {
        var keep = dataDirectory is not null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "freshet-demo-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Walk(dataDirectory, output);
            return 0;
        }
        catch (LogException e)
        {
            Console.Error.WriteLine($"freshet demo: {e.Message}");
            return 1;
        }
        finally
        {
            if (!keep && Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    private static void Walk(string dataDirectory, TextWriter output)
    {
        output.WriteLine($"Freshet log walkthrough — data directory: {dataDirectory}");
        output.WriteLine();

        const string topic = "sensor-readings";
        using (var store = LogStore.Open(dataDirectory))
        {
            var config = TopicConfig.Default with { SegmentBytes = 32 * 1024, FlushPolicy = FlushPolicy.EveryAppend };
            var created = store.CreateTopic(topic, partitions: 3, config);
            output.WriteLine($"1. Created topic '{created.Name}' (id {created.TopicId}) with {created.Partitions.Count} partitions, fsync on every append.");

            var partition = store.GetPartition(topic, 0);
            var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var stopwatch = Stopwatch.StartNew();
            var records = 0;
            foreach (var codec in Enum.GetValues<CompressionType>())
            {
                for (var batchNumber = 0; batchNumber < 20; batchNumber++)
                {
                    var builder = new RecordBatchBuilder(codec);
                    for (var i = 0; i < 50; i++)
                    {
                        var reading = records + i;
                        builder.Add(start + reading, Encoding.UTF8.GetBytes($"sensor-{reading % 7}"), Encoding.UTF8.GetBytes($"{{\"reading\":{reading},\"celsius\":{20 + (reading % 13)}}}"));
                    }

                    var result = partition.Append(builder.Build());
                    records += 50;
                    if (batchNumber == 0)
                    {
                        output.WriteLine($"   appended a {codec,-6} batch: offsets {result.BaseOffset}..{result.LastOffset}, durable={result.IsDurable}");
                    }
                }
            }

            output.WriteLine($"2. Appended {records} records in {records / 50} batches in {stopwatch.ElapsedMilliseconds} ms; {partition.SegmentCount} segment(s) after rolling at 32 KiB.");
            output.WriteLine($"   LogStartOffset={partition.LogStartOffset} HighWatermark={partition.HighWatermark} LogEndOffset={partition.LogEndOffset}");

            var read = partition.Read(120, 4096);
            var first = RecordBatchReader.ReadRecords(read.Records).First(r => r.Offset >= 120);
            output.WriteLine($"3. Read from offset 120: {read.Records.Length} bytes of stored batches; record {first.Offset} = {Encoding.UTF8.GetString(first.Value!)}");

            if (partition.TryFindOffsetByTimestamp(start + 3000, out var offsetAtTime))
            {
                output.WriteLine($"4. First offset with timestamp >= start+3000 ms: {offsetAtTime}");
            }

            var idempotent = new RecordBatchBuilder(CompressionType.None) { ProducerId = 42, ProducerEpoch = 0, BaseSequence = 0 };
            idempotent.Add(start, Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes("exactly once"));
            var bytes = idempotent.Build();
            var original = partition.Append(bytes);
            var resent = partition.Append(bytes);
            output.WriteLine($"5. Idempotent producer 42 sent a batch twice: first at offset {original.BaseOffset}, re-send acknowledged as duplicate={resent.IsDuplicate} at offset {resent.BaseOffset}; nothing written twice.");
        }

        // Simulate a torn write: garbage appended to the active segment, as a crash mid-write leaves it.
        var partitionDirectory = Path.Combine(dataDirectory, "topics", topic, "0");
        var active = Directory.GetFiles(partitionDirectory, "*.log").Order(StringComparer.Ordinal).Last();
        File.AppendAllText(active, "half a batch that never finished");
        using (var store = LogStore.Open(dataDirectory))
        {
            output.WriteLine("6. Reopened after a simulated torn write. Recovery report:");
            foreach (var line in store.RecoveryReport)
            {
                output.WriteLine($"   {line}");
            }

            var partition = store.GetPartition(topic, 0);
            output.WriteLine($"   LogEndOffset after recovery: {partition.LogEndOffset} (every acknowledged record kept).");

            store.AlterTopicConfig(topic, [new("retention.bytes", (64 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            var deleted = partition.ApplyRetention();
            output.WriteLine($"7. Retention by size (64 KiB) deleted {deleted} old segment(s); LogStartOffset is now {partition.LogStartOffset}.");
        }

        output.WriteLine();
        output.WriteLine("Done. See README.md for what the log guarantees and docs/log-format.md for the format.");
    }
}
