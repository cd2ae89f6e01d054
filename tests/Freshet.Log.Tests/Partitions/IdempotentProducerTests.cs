using System.Text;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Tests.TestSupport;
using Freshet.Log.Topics;

namespace Freshet.Log.Tests.Partitions;

/// <summary>
/// Idempotent producers on a <see cref="Partition"/>, with Kafka's rules: a re-sent batch is
/// acknowledged with its original offsets and not stored twice, a sequence gap and a stale epoch are
/// refused, a new epoch starts at sequence 0, and all of it survives a restart, clean or not.
/// </summary>
public sealed class IdempotentProducerTests : IDisposable
{
    private const long ProducerId = 1234;

    private readonly TempDirectory _directory = new();
    private LogStore _store;
    private Partition _partition;

    public IdempotentProducerTests()
    {
        _store = TestLogs.Open(_directory.Combine("live"));
        _partition = TestLogs.CreatePartition(_store, new TopicConfig { SegmentBytes = 1024 });
    }

    [Fact]
    public void Append_SameBatchTwice_SecondIsDuplicateWithOriginalOffsets()
    {
        _partition.Append(TestLogs.Batch(0, 2, ManualClock.DefaultStartMs));
        var batch = Batch(epoch: 0, sequence: 0, count: 3);
        var first = _partition.Append(batch);

        var second = _partition.Append(batch);

        Assert.True(second.IsDuplicate);
        Assert.False(first.IsDuplicate);
        Assert.Equal((2L, 4L), (second.BaseOffset, second.LastOffset));
        Assert.Equal((first.BaseOffset, first.LastOffset), (second.BaseOffset, second.LastOffset));
        Assert.Equal(5, _partition.LogEndOffset);
    }

    [Fact]
    public void Append_AnyOfLastFiveBatchesResent_Duplicate()
    {
        var batches = Enumerable.Range(0, 7).Select(i => Batch(0, i * 2, 2)).ToArray();
        var results = batches.Select(b => _partition.Append(b)).ToArray();

        for (var i = 2; i < 7; i++)
        {
            var resent = _partition.Append(batches[i]);
            Assert.True(resent.IsDuplicate);
            Assert.Equal(results[i].BaseOffset, resent.BaseOffset);
        }

        Assert.Equal(14, _partition.LogEndOffset);
    }

    [Fact]
    public void Append_SequenceGap_ThrowsOutOfOrderSequenceNumber()
    {
        _partition.Append(Batch(0, 0, 3));
        var logEnd = _partition.LogEndOffset;

        var error = Assert.Throws<LogException>(() => _partition.Append(Batch(0, 4, 1)));

        Assert.Equal(LogErrorCode.OutOfOrderSequenceNumber, error.ErrorCode);
        Assert.Equal(logEnd, _partition.LogEndOffset);
        Assert.False(_partition.Append(Batch(0, 3, 1)).IsDuplicate);
    }

    [Fact]
    public void Append_StaleEpoch_ThrowsInvalidProducerEpoch()
    {
        _partition.Append(Batch(epoch: 3, sequence: 0, count: 1));

        Assert.Equal(LogErrorCode.InvalidProducerEpoch, Assert.Throws<LogException>(() => _partition.Append(Batch(epoch: 2, sequence: 1, count: 1))).ErrorCode);
        Assert.Equal(1, _partition.LogEndOffset);
    }

    [Fact]
    public void Append_NewEpoch_MustStartAtSequenceZero()
    {
        _partition.Append(Batch(epoch: 0, sequence: 0, count: 5));

        Assert.Equal(LogErrorCode.OutOfOrderSequenceNumber, Assert.Throws<LogException>(() => _partition.Append(Batch(epoch: 1, sequence: 5, count: 1))).ErrorCode);
        Assert.False(_partition.Append(Batch(epoch: 1, sequence: 0, count: 1)).IsDuplicate);

        // The new epoch fenced the old one.
        Assert.Equal(LogErrorCode.InvalidProducerEpoch, Assert.Throws<LogException>(() => _partition.Append(Batch(epoch: 0, sequence: 5, count: 1))).ErrorCode);
        Assert.Equal(6, _partition.LogEndOffset);
    }

    [Fact]
    public void Append_DuplicateAfterCleanRestart_StillDetected()
    {
        var batch = Batch(0, 0, 4);
        var original = _partition.Append(batch);
        _partition.Append(Batch(0, 4, 1));

        Reopen();

        var resent = _partition.Append(batch);
        Assert.True(resent.IsDuplicate);
        Assert.Equal(original.BaseOffset, resent.BaseOffset);
        Assert.Equal(LogErrorCode.OutOfOrderSequenceNumber, Assert.Throws<LogException>(() => _partition.Append(Batch(0, 6, 1))).ErrorCode);
        Assert.False(_partition.Append(Batch(0, 5, 1)).IsDuplicate);
    }

    [Fact]
    public void Append_DuplicateAfterUncleanStop_DetectedByReplayingTheLog()
    {
        // Batches across several segments: the snapshot written at the last roll is older than the log end.
        for (var sequence = 0; sequence < 40; sequence += 4)
        {
            _partition.Append(Batch(0, sequence, 4, valueBytes: 100));
        }

        var last = Batch(0, 40, 2);
        var original = _partition.Append(last);

        // A copy of the files taken while the store is open is what a kill -9 leaves behind: no close-time snapshot.
        var crashed = _directory.Combine("crashed");
        CopyDirectory(_store.Directory, crashed, skip: "freshet.lock");
        using var store = TestLogs.Open(crashed);
        var partition = store.GetPartition(TestLogs.Topic, 0);

        var resent = partition.Append(last);
        Assert.True(resent.IsDuplicate);
        Assert.Equal(original.BaseOffset, resent.BaseOffset);
        Assert.False(partition.Append(Batch(0, 42, 1)).IsDuplicate);
    }

    private static byte[] Batch(short epoch, int sequence, int count, int valueBytes = 8)
    {
        var builder = new RecordBatchBuilder { ProducerId = ProducerId, ProducerEpoch = epoch, BaseSequence = sequence };
        for (var i = 0; i < count; i++)
        {
            builder.Add(ManualClock.DefaultStartMs, Encoding.ASCII.GetBytes("k"), Encoding.ASCII.GetBytes($"epoch {epoch} sequence {sequence + i}".PadRight(valueBytes)));
        }

        return builder.Build();
    }

    private void Reopen()
    {
        _store.Dispose();
        _store = TestLogs.Open(_directory.Combine("live"));
        _partition = _store.GetPartition(TestLogs.Topic, 0);
    }

    private static void CopyDirectory(string from, string to, string skip)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            if (Path.GetFileName(file) != skip)
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)), skip);
        }
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }
}
