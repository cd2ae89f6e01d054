using Freshet.Log.Records;
using Freshet.Log.Tests.TestSupport;
using Freshet.Log.Topics;

namespace Freshet.Log.Tests.Compaction;

public class LogCompactorConcurrencyTests
{
    private const int Keys = 20;
    private const int Appends = 3_000;

    [Fact]
    public async Task Compact_DuringConcurrentAppendsAndReads_ReadersSeeConsistentDataAndFinalStateIsLatestPerKey()
    {
        // Small segments roll often, and a short file-delete delay makes readers meet retired segments.
        var config = LogFixture.CompactConfig() with { SegmentBytes = 4096 };
        using var log = new LogFixture(config, fileDeleteDelayMs: 20);
        var partition = log.Partition;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        using var done = new CancellationTokenSource();

        void Guard(Action body)
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
                done.Cancel();
            }
        }

        // One writer: record n gets offset n and says so in its value, so readers can check each record.
        var writer = Task.Run(() => Guard(() =>
        {
            for (var n = 0; n < Appends && !done.IsCancellationRequested; n++)
            {
                var result = log.Append(($"k{n % Keys}", $"{n}"));
                Assert.Equal(n, result.BaseOffset);
            }
        }));

        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() => Guard(() =>
        {
            while (!writer.IsCompleted && !done.IsCancellationRequested)
            {
                long previous = -1;
                foreach (var record in LogFixture.ReadAll(partition))
                {
                    Assert.True(record.Offset > previous, $"offset {record.Offset} after {previous}");
                    Assert.Equal($"{record.Offset}", LogFixture.Text(record.Value));
                    Assert.Equal($"k{record.Offset % Keys}", LogFixture.Text(record.Key));
                    previous = record.Offset;
                }
            }
        }))).ToArray();

        var passes = 0;
        var compactor = Task.Run(() => Guard(() =>
        {
            while (!writer.IsCompleted && !done.IsCancellationRequested)
            {
                if (!partition.Compact().Skipped)
                {
                    passes++;
                }
            }
        }));

        await Task.WhenAll([writer, compactor, .. readers]).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Empty(failures);
        Assert.True(passes > 0);

        partition.Roll();
        partition.Compact();
        var final = LogFixture.ReadAll(partition);
        Assert.Equal(Keys, final.Count);
        foreach (var record in final)
        {
            Assert.True(record.Offset >= Appends - Keys, $"record {record.Offset} is not the latest of its key");
        }

        Assert.Equal(Appends, partition.LogEndOffset);
        Assert.Equal(0, partition.LogStartOffset);
    }

    [Fact]
    public void RunMaintenance_WithBackgroundLoop_CompactsWithoutBlockingAppends()
    {
        using var directory = new TempDirectory();
        using var store = LogStore.Open(directory.Path, new LogStoreOptions { MaintenanceInterval = TimeSpan.FromMilliseconds(10) });
        store.CreateTopic("t", 1, new TopicConfig { CleanupPolicy = CleanupPolicy.Compact, SegmentBytes = 2048 });
        var partition = store.GetPartition("t", 0);
        for (var n = 0; n < 500; n++)
        {
            var builder = new RecordBatchBuilder();
            builder.Add(n, new[] { (byte)(n % 5) }, BitConverter.GetBytes(n));
            partition.Append(builder.Build());
        }

        partition.Roll();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (LogFixture.ReadAll(partition).Count > 5 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        Assert.Equal(5, LogFixture.ReadAll(partition).Count);
    }
}
