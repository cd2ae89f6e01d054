using System.Text;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Tests.TestSupport;
using Freshet.Log.Topics;

namespace Freshet.Log.Tests.Compaction;

/// <summary>A store in a temp directory with a manual clock and no background maintenance, plus record helpers.</summary>
internal sealed class LogFixture : IDisposable
{
    public const string Topic = "t";

    private readonly TempDirectory _directory = new();

    public LogFixture(TopicConfig? config = null, long fileDeleteDelayMs = 10_000)
    {
        FileDeleteDelayMs = fileDeleteDelayMs;
        Store = OpenStore();
        Store.CreateTopic(Topic, 1, config ?? CompactConfig());
    }

    public ManualClock Clock { get; } = new();

    public long FileDeleteDelayMs { get; }

    public LogStore Store { get; private set; }

    public string Path => _directory.Path;

    public Partition Partition => Store.GetPartition(Topic, 0);

    public string PartitionDirectory => System.IO.Path.Combine(Path, "topics", Topic, "0");

    public static TopicConfig CompactConfig(long deleteRetentionMs = 60_000) =>
        new() { CleanupPolicy = CleanupPolicy.Compact, DeleteRetentionMs = deleteRetentionMs, IndexIntervalBytes = 0 };

    public LogStore OpenStore() => LogStore.Open(Path, new LogStoreOptions { Clock = Clock, BackgroundMaintenance = false, FileDeleteDelayMs = FileDeleteDelayMs });

    public void Reopen()
    {
        Store.Dispose();
        Store = OpenStore();
    }

    /// <summary>Appends one batch; a null value is a tombstone.</summary>
    public AppendResult Append(params (string Key, string? Value)[] records) => Append(CompressionType.None, records);

    public AppendResult Append(CompressionType codec, params (string Key, string? Value)[] records)
    {
        var builder = new RecordBatchBuilder(codec);
        foreach (var (key, value) in records)
        {
            builder.Add(Clock.NowMs, Encoding.UTF8.GetBytes(key), value is null ? null : Encoding.UTF8.GetBytes(value));
        }

        return Partition.Append(builder.Build());
    }

    public static List<LogRecord> ReadAll(Partition partition) => [.. ReadBatches(partition).SelectMany(b => RecordBatchReader.DecodeBatch(b.Bytes))];

    /// <summary>Every stored batch from LogStartOffset to LogEndOffset, control batches included.</summary>
    public static List<(RecordBatchHeader Header, byte[] Bytes)> ReadBatches(Partition partition, long from = -1)
    {
        var result = new List<(RecordBatchHeader, byte[])>();
        var offset = from < 0 ? partition.LogStartOffset : from;
        var end = partition.LogEndOffset;
        while (offset < end)
        {
            var read = partition.Read(offset, 64 * 1024);
            var start = offset;
            foreach (var (header, bytes) in RecordBatchReader.ReadBatches(read.Records))
            {
                if (header.LastOffset >= offset)
                {
                    result.Add((header, bytes.ToArray()));
                    offset = header.LastOffset + 1;
                }
            }

            if (offset == start)
            {
                break;
            }
        }

        return result;
    }

    public static string Text(byte[]? bytes) => bytes is null ? "<null>" : Encoding.UTF8.GetString(bytes);

    /// <summary>"offset key=value" lines, for readable assertions.</summary>
    public static string[] Describe(IEnumerable<LogRecord> records) =>
        [.. records.Select(r => $"{r.Offset} {Text(r.Key)}={Text(r.Value)}")];

    public void Dispose()
    {
        Store.Dispose();
        _directory.Dispose();
    }
}
