using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Keys;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.Windows;

/// <summary>
/// The window contents of the general window operator on both backends: accumulators and element lists per (key,
/// window), merged for sessions, and restored from the layout the operator wrote when it kept them in a dictionary of
/// its own (section <c>window-contents</c>).
/// </summary>
public sealed class WindowContentsTests : IDisposable
{
    private static readonly TimeWindow First = new(0, 10);
    private static readonly TimeWindow Second = new(5, 20);
    private static readonly TimeWindow Merged = new(0, 20);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-window-contents-" + Guid.NewGuid().ToString("N"));
    private readonly ProcessingTimeService _processingTime = new(new ManualClock(0));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("heap")]
    [InlineData("rocksdb")]
    public void AggregateContents_AddMergeClear_PerKeyAndWindow(string backend)
    {
        using var contents = new AggregateWindowContents<string, long, long>(Setup(backend), static () => 0, static (v, sum) => sum + v, static (a, b) => a + b);
        contents.Select("a", First);
        Assert.False(contents.HasContents);
        contents.Add(1);
        contents.Add(2);
        contents.Select("a", Second);
        contents.Add(10);
        contents.Select("b", First);
        contents.Add(100);
        Assert.Equal(3, contents.Count);

        contents.Merge("a", [First, Second], Merged);
        contents.Select("a", Merged);
        Assert.True(contents.TryGet(out var merged));
        Assert.Equal(13, merged);
        contents.Select("a", First);
        Assert.False(contents.HasContents);
        contents.Select("b", First);
        Assert.True(contents.TryGet(out var b));
        Assert.Equal(100, b);
        contents.Clear();
        Assert.False(contents.HasContents);
        Assert.Equal(1, contents.Count);
    }

    [Theory]
    [InlineData("heap")]
    [InlineData("rocksdb")]
    public void ListContents_AddMergeClear_KeepArrivalOrder(string backend)
    {
        using var contents = new ListWindowContents<string, string>(Setup(backend));
        contents.Select("a", First);
        Assert.False(contents.HasContents);
        Assert.False(contents.TryGet(out _));
        contents.Add("1");
        contents.Add("2");
        contents.Select("a", Second);
        contents.Add("3");
        contents.Merge("a", [Second, First], Merged);
        contents.Select("a", Merged);
        Assert.True(contents.HasContents);
        Assert.True(contents.TryGet(out var merged));
        Assert.Equal(["3", "1", "2"], merged);
        contents.Clear();
        Assert.False(contents.HasContents);
        Assert.Equal(0, contents.Count);
    }

    [Theory]
    [InlineData("heap")]
    [InlineData("rocksdb")]
    public void Restore_DictionaryLayout_ContentsOfTheOwnedKeyGroups(string backend)
    {
        var keys = Enumerable.Range(0, 20).Select(k => "k" + k).ToArray();
        var sums = KeyGroupedStateSnapshot.Serialize(
            KeyGroupedStateSnapshot.Capture(keys.Select(k => KeyValuePair.Create(k, (First, 7L))), 128), 128, Serializers.Default<string>(), new WindowEntrySerializer<long>(Serializers.Default<long>()));
        var lists = KeyGroupedStateSnapshot.Serialize(
            KeyGroupedStateSnapshot.Capture(keys.Select(k => KeyValuePair.Create(k, (First, new List<string> { k, "x" }))), 128), 128, Serializers.Default<string>(), new WindowEntrySerializer<List<string>>(Serializers.Default<List<string>>()));
        var range = KeyGroups.RangeOf(1, 128, 2);
        bool Owned(string key) => KeyGroups.Of(KeyHash<string>.Of(key), 128) >= range.First;

        using var aggregate = new AggregateWindowContents<string, long, long>(Setup(backend), static () => 0, static (v, sum) => sum + v, static (a, b) => a + b);
        aggregate.Restore(new RestoredOperatorState(1, [new Dictionary<string, byte[]> { [WindowContents<string, long, long>.StateName] = sums }]), range, 128);
        using var list = new ListWindowContents<string, string>(Setup(backend));
        list.Restore(new RestoredOperatorState(1, [new Dictionary<string, byte[]> { [WindowContents<string, string, IReadOnlyList<string>>.StateName] = lists }]), range, 128);
        Assert.Equal(keys.Count(Owned), aggregate.Count);
        foreach (var key in keys)
        {
            aggregate.Select(key, First);
            list.Select(key, First);
            Assert.Equal(Owned(key), aggregate.TryGet(out var sum));
            Assert.Equal(Owned(key), list.TryGet(out var elements));
            if (Owned(key))
            {
                Assert.Equal(7, sum);
                Assert.Equal([key, "x"], elements);
            }
        }
    }

    private Freshet.Streaming.Operators.OperatorSetup Setup(string backend) =>
        OperatorSetups.For(backend == "heap" ? StateBackend.Heap : StateBackend.RocksDb(_directory), _processingTime, "windows");
}
