using System.Text;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Topics;

namespace Freshet.Log.Tests.TestSupport;

/// <summary>
/// Opening stores the way the tests need them (no background threads, deleted segment files
/// removed at once), building batches of recognisable records, and reading a partition back whole
/// while checking what a consumer relies on: whole batches, valid CRCs, contiguous offsets.
/// </summary>
internal static class TestLogs
{
    public const string Topic = "events";

    public static LogStoreOptions Options(TimeProvider? clock = null) => new()
    {
        BackgroundMaintenance = false,
        FileDeleteDelayMs = 0,
        Clock = clock ?? TimeProvider.System,
    };

    public static LogStore Open(string directory, TimeProvider? clock = null) => LogStore.Open(directory, Options(clock));

    /// <summary>Creates <see cref="Topic"/> with one partition and returns it.</summary>
    public static Partition CreatePartition(LogStore store, TopicConfig? config = null)
    {
        store.CreateTopic(Topic, 1, config ?? TopicConfig.Default);
        return store.GetPartition(Topic, 0);
    }

    /// <summary>The record numbered <paramref name="n"/>: key "key-n", a value of at least <paramref name="valueBytes"/> bytes starting "value-n".</summary>
    public static LogRecord Record(long n, long timestamp, int valueBytes = 16)
    {
        var value = Encoding.ASCII.GetBytes($"value-{n}-".PadRight(valueBytes, (char)('a' + (n % 26))));
        return new LogRecord(timestamp, Encoding.ASCII.GetBytes($"key-{n}"), value);
    }

    /// <summary>A batch of records <paramref name="first"/> .. first+count-1, all with <paramref name="timestamp"/>.</summary>
    public static byte[] Batch(long first, int count, long timestamp, int valueBytes = 16, CompressionType compression = CompressionType.None)
    {
        var builder = new RecordBatchBuilder(compression);
        for (var i = 0; i < count; i++)
        {
            builder.Add(Record(first + i));
        }

        return builder.Build();

        LogRecord Record(long n) => TestLogs.Record(n, timestamp, valueBytes);
    }

    /// <summary>Reads every record from <c>LogStartOffset</c> to <c>LogEndOffset</c>, asserting whole batches, valid CRCs and contiguous offsets.</summary>
    public static List<LogRecord> ReadAll(Partition partition, int maxBytes = 64 * 1024)
    {
        var records = new List<LogRecord>();
        var next = partition.LogStartOffset;
        var end = partition.LogEndOffset;
        while (next < end)
        {
            var data = partition.Read(next, maxBytes).Records;
            Assert.False(data.IsEmpty, $"read at {next} returned nothing though the log ends at {end}");
            var covered = 0;
            foreach (var (header, bytes) in RecordBatchReader.ReadBatches(data))
            {
                Assert.Equal(header.Crc, RecordBatchHeader.ComputeCrc(bytes.Span));
                covered += bytes.Length;
                foreach (var record in RecordBatchReader.DecodeBatch(bytes.Span))
                {
                    if (record.Offset >= next)
                    {
                        Assert.Equal(next, record.Offset);
                        records.Add(record);
                        next++;
                    }
                }
            }

            Assert.Equal(data.Length, covered);
        }

        return records;
    }

    /// <summary>Key of each record as the string <see cref="Record"/> wrote.</summary>
    public static string KeyOf(LogRecord record) => Encoding.ASCII.GetString(record.Key!);

    /// <summary>Asserts the records are exactly those numbered <paramref name="first"/>.. in order, at offsets <paramref name="firstOffset"/>...</summary>
    public static void AssertNumbered(IReadOnlyList<LogRecord> records, long first, long firstOffset, int count)
    {
        Assert.Equal(count, records.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(firstOffset + i, records[i].Offset);
            Assert.Equal($"key-{first + i}", KeyOf(records[i]));
            Assert.StartsWith($"value-{first + i}-", Encoding.ASCII.GetString(records[i].Value!));
        }
    }

    /// <summary>Name and length of every file in a directory, for "nothing changed" checks.</summary>
    public static SortedDictionary<string, long> FileSizes(string directory) =>
        new(Directory.EnumerateFiles(directory).ToDictionary(p => Path.GetFileName(p), p => new FileInfo(p).Length), StringComparer.Ordinal);

    /// <summary>The segment <c>.log</c> files of a partition directory, oldest first.</summary>
    public static string[] SegmentLogs(string partitionDirectory) =>
        Directory.EnumerateFiles(partitionDirectory, "*.log").Order(StringComparer.Ordinal).ToArray();
}
