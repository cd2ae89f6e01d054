using Freshet.Log;
using Freshet.Log.Records;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Checkpoints;

public sealed class SourcePositionTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-srcpos-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 3)]
    public void Generator_RestoredFromPosition_ContinuesAfterLastEmitted(int subtask, int parallelism)
    {
        var first = new ReaderDriver<long>(new GeneratorSourceReader<long>(i => i, 60, 0, ReaderDriver<long>.Context(subtask, parallelism)));
        first.PollUntil(7);
        var position = first.Records.Count;
        var snapshot = GetReader(first).SnapshotPosition();
        first.PollUntil(int.MaxValue, maxRecordsPerPoll: 100);

        var resumed = new ReaderDriver<long>(new GeneratorSourceReader<long>(i => i, 60, 0, ReaderDriver<long>.Context(subtask, parallelism)), snapshot);
        resumed.PollUntil(int.MaxValue, maxRecordsPerPoll: 100);

        Assert.Equal(first.Records.Skip(position), resumed.Records);
    }

    [Fact]
    public void Generator_PositionOfAnotherSubtask_Rejected()
    {
        var other = new GeneratorSourceReader<long>(i => i, 60, 0, ReaderDriver<long>.Context(1, 3));
        var position = other.SnapshotPosition();
        var mine = new GeneratorSourceReader<long>(i => i, 60, 0, ReaderDriver<long>.Context(0, 3));
        var error = Assert.Throws<ArgumentException>(() => mine.RestorePosition(position));
        Assert.Contains("does not belong", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => mine.RestorePosition([2, 0, 0]));
    }

    [Fact]
    public void Collection_RestoredFromPosition_SkipsEmittedItems()
    {
        var items = Enumerable.Range(0, 25).Select(i => "item" + i).ToArray();
        var first = new ReaderDriver<string>(new CollectionSourceReader<string>(items));
        first.PollUntil(9);
        var emitted = first.Records.Count;
        var snapshot = GetReader(first).SnapshotPosition();

        var resumed = new ReaderDriver<string>(new CollectionSourceReader<string>(items), snapshot);
        resumed.PollUntil(int.MaxValue, maxRecordsPerPoll: 100);

        Assert.Equal(items.Skip(emitted), resumed.Records);
    }

    [Fact]
    public void Collection_PositionBeyondTheCollection_ClearError()
    {
        var full = new CollectionSourceReader<int>(Enumerable.Range(0, 10));
        var driver = new ReaderDriver<int>(full);
        driver.PollUntil(10, maxRecordsPerPoll: 100);
        var position = full.SnapshotPosition();

        var error = Assert.Throws<InvalidOperationException>(() => new ReaderDriver<int>(new CollectionSourceReader<int>(Enumerable.Range(0, 3)), position));
        Assert.Contains("only 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LogTopic_RestoredFromPosition_ResumesEveryPartitionAfterItsLastRecord()
    {
        using var store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("events", 3);
        for (var p = 0; p < 3; p++)
        {
            foreach (var chunk in Enumerable.Range(0, 40).Chunk(5))
            {
                LogTopics.Append(store, "events", p, chunk.Select(i => ((long)i, "p" + p, (long)((p * 1000) + i))));
            }
        }

        // One 5-record batch per partition and poll, so the snapshot falls mid-topic.
        var options = new LogSourceOptions { Bounded = true, MaxReadBytes = 1 };
        var first = new ReaderDriver<Ev>(Reader(store, options));
        first.PollUntil(50);
        var snapshot = GetReader(first).SnapshotPosition();
        var before = first.Records.ToHashSet();
        Assert.InRange(before.Count, 50, 119);
        first.PollUntil(int.MaxValue);

        var resumed = new ReaderDriver<Ev>(Reader(store, options), snapshot);
        resumed.PollUntil(int.MaxValue);

        Assert.Equal(120 - before.Count, resumed.Records.Count);
        Assert.DoesNotContain(resumed.Records, before.Contains);
        Assert.Equal(
            first.Records.Where(r => !before.Contains(r)).OrderBy(r => r.Value),
            resumed.Records.OrderBy(r => r.Value));
    }

    [Fact]
    public void LogTopic_MalformedPosition_ClearError()
    {
        using var store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("events", 1);
        var reader = Reader(store, new LogSourceOptions { Bounded = true });
        Assert.Throws<ArgumentException>(() => reader.RestorePosition([1, 0, 0, 0, 2, 0]));
        Assert.Throws<ArgumentException>(() => reader.RestorePosition([9]));
    }

    private static LogTopicSourceReader<Ev> Reader(LogStore store, LogSourceOptions options) =>
        new(store, "events", (LogRecord record, int partition, out Ev value) =>
        {
            value = LogTopics.ToEv(record);
            return true;
        }, options, ReaderDriver<Ev>.Context());

    private static Freshet.Streaming.Sources.SourceReader<T> GetReader<T>(ReaderDriver<T> driver) => driver.Reader;
}
