using System.Text;
using Freshet.Log.Groups;
using Freshet.Log.Records;
using Freshet.Log.Tests.Compaction;
using Freshet.Log.Tests.TestSupport;

namespace Freshet.Log.Tests.Groups;

public sealed class GroupOffsetStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualClock _clock = new();
    private LogStore _store;

    public GroupOffsetStoreTests()
    {
        _store = Open();
    }

    private GroupOffsetStore Offsets => _store.GroupOffsets;

    private LogStore Open() => LogStore.Open(_directory.Path, new LogStoreOptions { Clock = _clock, BackgroundMaintenance = false });

    private void Reopen()
    {
        _store.Dispose();
        _store = Open();
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void Commit_ThenTryFetch_ReturnsOffsetEpochMetadataAndCommitTime()
    {
        var stored = Offsets.Commit("g", "orders", 3, 42, "host-1", leaderEpoch: 5);

        Assert.True(Offsets.TryFetch("g", "orders", 3, out var fetched));
        Assert.Equal(new CommittedOffset("orders", 3, 42, 5, "host-1", _clock.NowMs), fetched);
        Assert.Equal(stored, fetched);
    }

    [Fact]
    public void TryFetch_NoCommit_ReturnsFalse()
    {
        Offsets.Commit("g", "orders", 0, 1, null);

        Assert.False(Offsets.TryFetch("g", "orders", 1, out _));
        Assert.False(Offsets.TryFetch("other", "orders", 0, out _));
        Assert.False(Offsets.TryFetch("g", "payments", 0, out _));
    }

    [Fact]
    public void Commit_SamePartitionAgain_OverwritesPreviousCommit()
    {
        Offsets.Commit("g", "orders", 0, 10, "first");
        _clock.Advance(5);
        Offsets.Commit("g", "orders", 0, 20, "second");

        Assert.True(Offsets.TryFetch("g", "orders", 0, out var fetched));
        Assert.Equal((20L, "second", _clock.NowMs), (fetched.Offset, fetched.Metadata, fetched.CommitTimestampMs));
        Assert.Single(Offsets.FetchAll("g"));
    }

    [Fact]
    public void Commit_NullMetadata_IsStoredAsEmpty()
    {
        Offsets.Commit("g", "orders", 0, 10, null);

        Assert.True(Offsets.TryFetch("g", "orders", 0, out var fetched));
        Assert.Equal(string.Empty, fetched.Metadata);
    }

    [Fact]
    public void Commit_MetadataAtLimitWithNonAsciiText_RoundTripsThroughReopen()
    {
        var metadata = string.Concat(Enumerable.Repeat("é", GroupOffsetStore.MaxMetadataLength));
        Offsets.Commit("grüppe", "orders", 0, 10, metadata);

        Reopen();

        Assert.True(Offsets.TryFetch("grüppe", "orders", 0, out var fetched));
        Assert.Equal(metadata, fetched.Metadata);
    }

    [Fact]
    public void Reopen_AfterCommits_RestoresEveryGroupsLatestOffsets()
    {
        Offsets.Commit("a", "orders", 0, 1, "x", 2);
        Offsets.Commit("a", "orders", 0, 5, "y", 3);
        Offsets.Commit("a", "orders", 1, 7, null);
        Offsets.Commit("b", "payments", 0, 9, null);
        var before = (Offsets.FetchAll("a"), Offsets.FetchAll("b"));

        Reopen();

        Assert.Equal(before.Item1, Offsets.FetchAll("a"));
        Assert.Equal(before.Item2, Offsets.FetchAll("b"));
        Assert.Equal(["a", "b"], Offsets.ListGroups());
    }

    [Fact]
    public void Commit_WhenItReturns_IsFsynced()
    {
        var log = Offsets.Log;
        Offsets.Commit("g", "orders", 0, 1, null);

        Assert.Equal(log.LogEndOffset, log.DurableEndOffset);
    }

    [Fact]
    public void CommitBatch_SeveralPartitions_AppendsOneBatchAndReturnsAllCommits()
    {
        var endBefore = Offsets.Log.LogEndOffset;
        OffsetCommit[] commits = [.. Enumerable.Range(0, 50).Select(p => new OffsetCommit("orders", p, p * 10L, $"m{p}"))];

        var stored = Offsets.Commit("g", commits);

        Assert.Equal(50, stored.Count);
        Assert.Equal(endBefore + 50, Offsets.Log.LogEndOffset);
        Assert.Single(LogFixture.ReadBatches(Offsets.Log));
        Assert.Equal(commits.Select(c => (c.Partition, c.Offset)), Offsets.FetchAll("g").Select(c => (c.Partition, c.Offset)));
    }

    [Fact]
    public void CommitBatch_OneInvalidEntry_StoresNothing()
    {
        var endBefore = Offsets.Log.LogEndOffset;

        var error = Assert.Throws<LogException>(() => Offsets.Commit("g", [new OffsetCommit("orders", 0, 1), new OffsetCommit("orders", -1, 1)]));

        Assert.Equal(LogErrorCode.UnknownTopicOrPartition, error.ErrorCode);
        Assert.Equal(endBefore, Offsets.Log.LogEndOffset);
        Assert.Empty(Offsets.FetchAll("g"));
    }

    public static TheoryData<string, string, int, long, string?, LogErrorCode> InvalidCommits() => new()
    {
        { "", "orders", 0, 1, null, LogErrorCode.InvalidGroupId },
        { "g", "orders", -1, 1, null, LogErrorCode.UnknownTopicOrPartition },
        { "g", "orders", 0, 1, new string('m', GroupOffsetStore.MaxMetadataLength + 1), LogErrorCode.OffsetMetadataTooLarge },
        { "g", "bad topic!", 0, 1, null, LogErrorCode.InvalidTopic },
        { "g", "", 0, 1, null, LogErrorCode.InvalidTopic },
    };

    [Theory]
    [MemberData(nameof(InvalidCommits))]
    public void Commit_InvalidInput_ThrowsKafkaErrorAndStoresNothing(string group, string topic, int partition, long offset, string? metadata, LogErrorCode expected)
    {
        var error = Assert.Throws<LogException>(() => Offsets.Commit(group, topic, partition, offset, metadata));

        Assert.Equal(expected, error.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Equal(0, Offsets.Log.LogEndOffset);
    }

    [Fact]
    public void Commit_GroupIdTooLongForFormat_ThrowsInvalidGroupId()
    {
        var error = Assert.Throws<LogException>(() => Offsets.Commit(new string('g', 40_000), "orders", 0, 1));

        Assert.Equal(LogErrorCode.InvalidGroupId, error.ErrorCode);
    }

    [Fact]
    public void DeleteGroup_WithOffsets_RemovesThemDurably()
    {
        Offsets.Commit("doomed", "orders", 0, 1);
        Offsets.Commit("doomed", "orders", 1, 2);
        Offsets.Commit("kept", "orders", 0, 3);

        Assert.True(Offsets.DeleteGroup("doomed"));
        Assert.Empty(Offsets.FetchAll("doomed"));
        Assert.Equal(["kept"], Offsets.ListGroups());

        Reopen();

        Assert.Empty(Offsets.FetchAll("doomed"));
        Assert.False(Offsets.TryFetch("doomed", "orders", 0, out _));
        Assert.Equal(["kept"], Offsets.ListGroups());
    }

    [Fact]
    public void DeleteGroup_UnknownGroup_ReturnsFalseAndWritesNothing()
    {
        Assert.False(Offsets.DeleteGroup("nobody"));
        Assert.Equal(0, Offsets.Log.LogEndOffset);
    }

    [Fact]
    public void ListGroups_ManyGroups_ReturnsEverySortedAndFetchAllSortsByTopicThenPartition()
    {
        for (var g = 199; g >= 0; g--)
        {
            Offsets.Commit($"group-{g:D3}", g % 2 == 0 ? "b" : "a", g % 3, g);
        }

        Offsets.Commit("group-000", "a", 2, 1);
        Offsets.Commit("group-000", "a", 0, 1);

        Assert.Equal(Enumerable.Range(0, 200).Select(g => $"group-{g:D3}"), Offsets.ListGroups());
        Assert.Equal([("a", 0), ("a", 2), ("b", 0)], Offsets.FetchAll("group-000").Select(c => (c.Topic, c.Partition)));
    }

    [Fact]
    public async Task Commit_FromManyThreads_EveryCommitVisibleAndDurable()
    {
        const int Threads = 8;
        const int CommitsPerThread = 50;
        var tasks = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < CommitsPerThread; i++)
            {
                Offsets.Commit($"g{t % 2}", "orders", t, i);        // own partition: last one wins
                Offsets.Commit("shared", "orders", t, i, $"t{t}");  // one group, many writers
            }
        }));
        await Task.WhenAll(tasks);

        void Check()
        {
            for (var t = 0; t < Threads; t++)
            {
                Assert.True(Offsets.TryFetch($"g{t % 2}", "orders", t, out var own));
                Assert.Equal(CommitsPerThread - 1, own.Offset);
                Assert.True(Offsets.TryFetch("shared", "orders", t, out var shared));
                Assert.Equal((CommitsPerThread - 1L, $"t{t}"), (shared.Offset, shared.Metadata));
            }
        }

        Check();
        Assert.Equal(Threads * CommitsPerThread * 2, Offsets.Log.LogEndOffset);
        Reopen();
        Check();
    }

    [Fact]
    public void ListTopics_WithCommittedOffsets_DoesNotShowTheInternalLog()
    {
        _store.CreateTopic("orders", 1);
        Offsets.Commit("g", "orders", 0, 1);

        Assert.Equal(["orders"], _store.ListTopics());
        Assert.False(_store.TryDescribeTopic("__consumer_offsets", out _));
        Assert.True(Directory.Exists(Path.Combine(_directory.Path, "internal", "__consumer_offsets", "0")));
    }

    [Fact]
    public void Compact_InternalLog_KeepsOnlyLatestCommitPerPartition()
    {
        for (var i = 0; i < 100; i++)
        {
            Offsets.Commit("g", "orders", i % 4, i, $"m{i}");
        }

        Offsets.Log.Roll();
        Offsets.Commit("g", "orders", 0, 1_000);

        var result = Offsets.Log.Compact();

        Assert.Equal(97, result.RecordsRemoved);   // of 100 sealed commits, partitions 1-3 keep their last; 0's is superseded by the active one
        Assert.Equal(4, LogFixture.ReadAll(Offsets.Log).Count);
        Reopen();
        Assert.Equal([1_000L, 97L, 98L, 99L], Offsets.FetchAll("g").Select(c => c.Offset));
    }

    [Fact]
    public void Compact_InternalLogAfterDeleteGroup_DropsTombstonesOnlyAfterDeleteRetention()
    {
        Offsets.Commit("doomed", "orders", 0, 1);
        Offsets.Commit("kept", "orders", 0, 2);
        Offsets.DeleteGroup("doomed");
        Offsets.Log.Roll();

        Offsets.Log.Compact();
        Assert.Equal(2, LogFixture.ReadAll(Offsets.Log).Count);   // kept's commit and doomed's tombstone

        _clock.Advance(GroupOffsetStore.LogConfig.DeleteRetentionMs + 1);
        _store.RunMaintenance();

        var remaining = LogFixture.ReadAll(Offsets.Log);
        Assert.Single(remaining);
        Assert.Contains("kept", Text(remaining[0].Key), StringComparison.Ordinal);
        Reopen();
        Assert.Equal(["kept"], Offsets.ListGroups());
    }

    [Fact]
    public void Reopen_UnreadableRecordInInternalLog_SkipsItReportsItAndKeepsTheRest()
    {
        Offsets.Commit("g", "orders", 0, 5);
        var builder = new RecordBatchBuilder();
        builder.Add(_clock.NowMs, [0, 1, 0, 1, (byte)'g'], [0, 3, 1, 2]);   // key cut short; value of the wrong shape
        builder.Add(_clock.NowMs, [0, 9, 0], [0, 3]);                       // unknown key version
        Offsets.Log.Append(builder.Build());
        Offsets.Commit("g", "orders", 1, 6);

        Reopen();

        Assert.Equal([5L, 6L], Offsets.FetchAll("g").Select(c => c.Offset));
        Assert.Equal(2, _store.RecoveryReport.Count(line => line.Contains("__consumer_offsets: skipped", StringComparison.Ordinal)));
    }

    private static string Text(byte[]? bytes) => bytes is null ? "<null>" : Encoding.UTF8.GetString(bytes);

    [Fact]
    public void Commit_SentinelOffset_StoredAsGivenLikeKafka()
    {
        Offsets.Commit("g", "orders", 0, -2);

        Assert.True(Offsets.TryFetch("g", "orders", 0, out var committed));
        Assert.Equal(-2, committed.Offset);
    }
}
