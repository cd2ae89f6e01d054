using System.Text;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Tests.TestSupport;
using Freshet.Log.Topics;

namespace Freshet.Log.Tests.Partitions;

/// <summary>
/// Reads at random offsets race appends, segment rolls (tiny segments) and retention. The contract: a read
/// of an offset inside <c>[LogStartOffset, HighWatermark)</c> succeeds and returns the record at that offset
/// whenever the offset is still above the log start once the read has returned (retention may legitimately
/// remove it meanwhile, and then the read may say OFFSET_OUT_OF_RANGE).
/// </summary>
public class ConcurrentReadTests
{
    private const int ReaderCount = 4;
    private const int ReadsPerReader = 20_000;

    public static TheoryData<bool> ReadForms => [true, false];

    [Theory]
    [MemberData(nameof(ReadForms))]
    public async Task Read_AtRandomOffsetsWhileAppendingRollingAndDeleting_ReturnsTheRecordAtEveryOffsetInRange(bool intoBuffer)
    {
        using var directory = new TempDirectory();
        using var store = LogStore.Open(directory.Path, TestLogs.Options() with { FileDeleteDelayMs = 0 });
        var partition = TestLogs.CreatePartition(store, TopicConfig.Default with
        {
            SegmentBytes = 1024,
            IndexIntervalBytes = 256,
            RetentionBytes = 64 * 1024,
            RetentionMs = -1,
        });

        // Fill past the retention size, so retention deletes segments from the first read on.
        while (partition.SizeBytes < 96 * 1024)
        {
            partition.Append(TestLogs.Batch(partition.LogEndOffset, 4, 1_700_000_000_000));
        }

        Assert.True(partition.ApplyRetention() > 0);

        using var stop = new CancellationTokenSource();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var writer = Task.Run(() =>
        {
            var random = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                var next = partition.LogEndOffset;
                partition.Append(TestLogs.Batch(next, random.Next(1, 6), 1_700_000_000_000));
            }
        });
        var retention = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                partition.ApplyRetention();
                Thread.Yield();
            }
        });

        var readers = Enumerable.Range(0, ReaderCount).Select(seed => Task.Run(() =>
        {
            var random = new Random(seed);
            var buffer = new byte[64 * 1024];
            for (var i = 0; i < ReadsPerReader && failures.IsEmpty; i++)
            {
                var start = partition.LogStartOffset;
                var end = partition.HighWatermark;
                if (end <= start)
                {
                    continue;
                }

                // Half the reads go to the newest records, where a segment has just been rolled.
                var offset = i % 2 == 0 ? start + random.NextInt64(end - start) : Math.Max(start, end - 1 - random.Next(8));
                var problem = ReadOnce(partition, offset, intoBuffer, buffer);
                if (problem is not null && offset >= partition.LogStartOffset)
                {
                    failures.Enqueue($"read at {offset} (range [{start}, {end}) before the read, log start {partition.LogStartOffset} after): {problem}");
                }
            }
        })).ToArray();

        await Task.WhenAll(readers);
        await stop.CancelAsync();
        await Task.WhenAll(writer, retention);

        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Take(5)));
    }

    /// <summary>One read; null when it returned the record numbered <paramref name="offset"/>, else what went wrong.</summary>
    private static string? ReadOnce(Partition partition, long offset, bool intoBuffer, byte[] buffer)
    {
        ReadOnlyMemory<byte> data;
        try
        {
            if (intoBuffer)
            {
                var written = partition.ReadInto(offset, buffer, out _);
                data = buffer.AsMemory(0, written);
            }
            else
            {
                data = partition.Read(offset, 1).Records;
            }
        }
        catch (Exception e) when (e is LogException or ObjectDisposedException)
        {
            return e.Message;
        }

        if (data.IsEmpty)
        {
            return "the read returned no batch";
        }

        foreach (var record in RecordBatchReader.ReadRecords(data))
        {
            if (record.Offset == offset)
            {
                var value = Encoding.ASCII.GetString(record.Value!);
                return value.StartsWith($"value-{offset}-", StringComparison.Ordinal) ? null : $"offset {offset} holds '{value}'";
            }
        }

        return $"the batches returned do not hold offset {offset}";
    }
}
