using Freshet.Log.Records;

namespace Freshet.Log.Tests.Compaction;

/// <summary>Restarts after compaction, and crashes simulated at each step of the swap protocol.</summary>
public class LogCompactorRecoveryTests
{
    private const string FirstSegment = "00000000000000000000";

    [Fact]
    public void Reopen_AfterCompaction_ReadsSameRecordsFromEveryOffset()
    {
        using var log = new LogFixture();
        for (var i = 0; i < 50; i++)
        {
            log.Append(($"k{i % 7}", $"v{i}"));
        }

        log.Partition.Roll();
        log.Append(("k0", "last"));
        log.Partition.Compact();
        var before = LogFixture.Describe(LogFixture.ReadAll(log.Partition));
        var fromEachOffset = Enumerable.Range(0, 51).Select(o => LogFixture.Describe(LogFixture.ReadAll(log.Partition).Where(r => r.Offset >= o))).ToArray();

        log.Reopen();

        Assert.Equal(before, LogFixture.Describe(LogFixture.ReadAll(log.Partition)));
        for (var offset = 0; offset < 51; offset++)
        {
            var read = LogFixture.ReadBatches(log.Partition, offset).SelectMany(b => RecordBatchReader.DecodeBatch(b.Bytes)).Where(r => r.Offset >= offset);
            Assert.Equal(fromEachOffset[offset], LogFixture.Describe(read));
        }

        Assert.Equal(51, log.Partition.LogEndOffset);
    }

    [Fact]
    public void Reopen_CleanedFileLeftBehind_DiscardsItAndKeepsOldSegment()
    {
        using var log = new LogFixture();
        log.Append(("a", "1"));
        log.Append(("a", "2"));
        log.Partition.Roll();
        var before = LogFixture.Describe(LogFixture.ReadAll(log.Partition));
        log.Store.Dispose();

        // Killed while writing the replacement: a partial .cleaned file is all there is.
        var cleaned = Path.Combine(log.PartitionDirectory, FirstSegment + ".log.cleaned");
        File.WriteAllBytes(cleaned, [1, 2, 3, 4, 5]);
        log.Reopen();

        Assert.False(File.Exists(cleaned));
        Assert.Equal(before, LogFixture.Describe(LogFixture.ReadAll(log.Partition)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reopen_SwapFileLeftBehind_CompletesTheCompaction(bool staleIndexesLeft)
    {
        // Both directories hold the same log: one is compacted to learn the replacement's bytes, the
        // other gets them as a .swap file beside the old segment, as a kill after the commit point leaves it.
        using var compacted = new LogFixture();
        using var crashed = new LogFixture();
        foreach (var log in new[] { compacted, crashed })
        {
            log.Append(("a", "1"));                                  // dropped: shifts every later batch
            for (var i = 0; i < 10; i++)
            {
                log.Append(($"k{i}", $"v{i}"));
            }

            log.Append(("z", new string('z', 3_000)));              // a large last batch: stale index positions stay inside the new file
            log.Partition.Roll();
            log.Append(("a", "2"));
        }

        compacted.Partition.Compact();
        var expected = LogFixture.Describe(LogFixture.ReadAll(compacted.Partition));
        var replacement = File.ReadAllBytes(Path.Combine(compacted.PartitionDirectory, FirstSegment + ".log"));

        crashed.Store.Dispose();
        File.WriteAllBytes(Path.Combine(crashed.PartitionDirectory, FirstSegment + ".log.swap"), replacement);
        if (!staleIndexesLeft)
        {
            File.Delete(Path.Combine(crashed.PartitionDirectory, FirstSegment + ".index"));
            File.Delete(Path.Combine(crashed.PartitionDirectory, FirstSegment + ".timeindex"));
        }

        crashed.Reopen();

        Assert.Contains(crashed.Store.RecoveryReport, line => line.Contains("completed an interrupted compaction swap", StringComparison.Ordinal));
        Assert.Equal(expected, LogFixture.Describe(LogFixture.ReadAll(crashed.Partition)));
        for (var offset = 0L; offset < crashed.Partition.LogEndOffset; offset++)
        {
            // Reading from each offset goes through the offset index: it must describe the new file.
            var first = RecordBatchReader.ReadRecords(crashed.Partition.Read(offset, 1).Records).First(r => r.Offset >= offset);
            Assert.Contains($"{first.Offset} {LogFixture.Text(first.Key)}={LogFixture.Text(first.Value)}", expected);
        }
    }

    [Fact]
    public void Reopen_AfterRemovedSegment_DoesNotResurrectIt()
    {
        using var log = new LogFixture();
        log.Append(("a", "1"));
        log.Partition.Roll();
        log.Append(("b", "1"));
        log.Partition.Roll();
        log.Append(("b", "2"));
        log.Partition.Compact();
        var before = LogFixture.Describe(LogFixture.ReadAll(log.Partition));

        log.Reopen();

        Assert.Equal(before, LogFixture.Describe(LogFixture.ReadAll(log.Partition)));
        Assert.Equal(2, log.Partition.SegmentCount);
    }
}
