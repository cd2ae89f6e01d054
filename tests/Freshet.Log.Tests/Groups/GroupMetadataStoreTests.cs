using System.Buffers.Binary;
using System.Text;
using Freshet.Log.Groups;
using Freshet.Log.Tests.TestSupport;

namespace Freshet.Log.Tests.Groups;

/// <summary>Group metadata records in the <c>__consumer_offsets</c> log: stored, replayed, deleted, and read in every version Kafka wrote.</summary>
public sealed class GroupMetadataStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualClock _clock = new();
    private LogStore _store;

    public GroupMetadataStoreTests()
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

    private static GroupMetadata Sample(int generation = 7) => new(
        "consumer",
        generation,
        "range",
        "m-1",
        1_700_000_000_123,
        [
            new GroupMemberMetadata("m-1", null, "client-1", "/127.0.0.1", 30_000, 10_000, [1, 2, 3], [4, 5]),
            new GroupMemberMetadata("m-2", "instance-2", "client-2", "/127.0.0.2", 45_000, 6_000, [], [9]),
        ]);

    private static void AssertSame(GroupMetadata expected, GroupMetadata actual)
    {
        Assert.Equal(expected with { Members = [] }, actual with { Members = [] });
        Assert.Equal(expected.Members.Count, actual.Members.Count);
        for (var i = 0; i < expected.Members.Count; i++)
        {
            var (e, a) = (expected.Members[i], actual.Members[i]);
            Assert.Equal(e with { Subscription = [], Assignment = [] }, a with { Subscription = [], Assignment = [] });
            Assert.Equal(e.Subscription, a.Subscription);
            Assert.Equal(e.Assignment, a.Assignment);
        }
    }

    [Fact]
    public void StoreGroupMetadata_Reopen_ReadsTheLatestBack()
    {
        Offsets.StoreGroupMetadata("g", Sample(generation: 6));
        Offsets.StoreGroupMetadata("g", Sample(generation: 7));
        Offsets.Commit("g", "orders", 0, 10);

        Reopen();

        Assert.True(Offsets.TryGetGroupMetadata("g", out var metadata));
        AssertSame(Sample(generation: 7), metadata);
        Assert.Equal(["g"], Offsets.ListGroupMetadata().Select(g => g.Key));
        Assert.True(Offsets.TryFetch("g", "orders", 0, out _));
        Assert.Empty(_store.RecoveryReport);
    }

    [Fact]
    public void DeleteGroup_WithMetadataAndOffsets_BothGoneAfterReopen()
    {
        Offsets.StoreGroupMetadata("g", Sample());
        Offsets.Commit("g", "orders", 0, 10);
        Offsets.StoreGroupMetadata("other", Sample());

        Assert.True(Offsets.DeleteGroup("g"));
        Assert.False(Offsets.DeleteGroup("g"));
        Reopen();

        Assert.False(Offsets.TryGetGroupMetadata("g", out _));
        Assert.Empty(Offsets.FetchAll("g"));
        Assert.True(Offsets.TryGetGroupMetadata("other", out _));
    }

    [Fact]
    public void DeleteGroup_MetadataOnly_Deleted()
    {
        Offsets.StoreGroupMetadata("g", Sample());

        Assert.True(Offsets.DeleteGroup("g"));
        Reopen();

        Assert.False(Offsets.TryGetGroupMetadata("g", out _));
    }

    [Fact]
    public void DeleteOffsets_SomePartitions_OnlyThoseGoneAfterReopen()
    {
        Offsets.Commit("g", [new OffsetCommit("a", 0, 1), new OffsetCommit("a", 1, 2), new OffsetCommit("b", 0, 3)]);

        var deleted = Offsets.DeleteOffsets("g", [("a", 1), ("b", 0), ("b", 5)]);
        Reopen();

        Assert.Equal([("a", 1), ("b", 0)], deleted);
        Assert.Equal([("a", 0)], Offsets.FetchAll("g").Select(c => (c.Topic, c.Partition)));
    }

    [Fact]
    public void DeleteTopic_CommittedOffsetsInIt_RemovedFromEveryGroup()
    {
        _store.CreateTopic("doomed", 2);
        _store.CreateTopic("kept", 1);
        Offsets.Commit("g1", [new OffsetCommit("doomed", 0, 5), new OffsetCommit("kept", 0, 6)]);
        Offsets.Commit("g2", "doomed", 1, 7);

        _store.DeleteTopic("doomed");
        Reopen();

        Assert.Equal([("kept", 0)], Offsets.FetchAll("g1").Select(c => (c.Topic, c.Partition)));
        Assert.Empty(Offsets.FetchAll("g2"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void TryReadValue_EveryKafkaVersion_ReadsTheFieldsThatVersionHas(short version)
    {
        var bytes = KafkaValue(version);

        Assert.True(GroupMetadataRecordCodec.TryReadValue(bytes, out var metadata));

        Assert.Equal("consumer", metadata.ProtocolType);
        Assert.Equal(3, metadata.Generation);
        Assert.Equal("range", metadata.Protocol);
        Assert.Equal("m", metadata.Leader);
        Assert.Equal(version >= 2 ? 99 : -1, metadata.CurrentStateTimestampMs);
        var member = Assert.Single(metadata.Members);
        Assert.Equal("m", member.MemberId);
        Assert.Equal(version >= 3 ? "i" : null, member.GroupInstanceId);
        Assert.Equal("c", member.ClientId);
        Assert.Equal("/h", member.ClientHost);
        Assert.Equal(version >= 1 ? 20_000 : 10_000, member.RebalanceTimeoutMs);
        Assert.Equal(10_000, member.SessionTimeoutMs);
        Assert.Equal([1, 2], member.Subscription);
        Assert.Equal([3], member.Assignment);
    }

    [Fact]
    public void TryReadValue_EveryTruncationOrExtraByte_FalseAndNeverThrows()
    {
        foreach (var version in new short[] { 3, 4 })
        {
            var bytes = KafkaValue(version);
            for (var length = 0; length < bytes.Length; length++)
            {
                Assert.False(GroupMetadataRecordCodec.TryReadValue(bytes.AsSpan(0, length), out _));
            }

            Assert.False(GroupMetadataRecordCodec.TryReadValue([.. bytes, 0], out _));
        }
    }

    [Fact]
    public void EncodeValue_ThenTryReadValue_ReturnsTheInput()
    {
        var bytes = GroupMetadataRecordCodec.EncodeValue(Sample());

        Assert.Equal(3, BinaryPrimitives.ReadInt16BigEndian(bytes));
        Assert.True(GroupMetadataRecordCodec.TryReadValue(bytes, out var read));
        AssertSame(Sample(), read);
        Assert.True(GroupMetadataRecordCodec.TryReadKey(GroupMetadataRecordCodec.EncodeKey("g"), out var group));
        Assert.Equal("g", group);
    }

    /// <summary>A group metadata value as Kafka writes it at <paramref name="version"/>, built field by field from the record's schema.</summary>
    private static byte[] KafkaValue(short version)
    {
        var flexible = version >= 4;
        var output = new List<byte>();
        void Int16(short v) => output.AddRange([(byte)(v >> 8), (byte)v]);
        void Int32(int v) => output.AddRange([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
        void Int64(long v)
        {
            Int32((int)(v >> 32));
            Int32((int)v);
        }

        void Varint(int v) => output.Add((byte)v);
        void String(string? s)
        {
            if (s is null)
            {
                if (flexible)
                {
                    Varint(0);
                }
                else
                {
                    Int16(-1);
                }

                return;
            }

            var bytes = Encoding.UTF8.GetBytes(s);
            if (flexible)
            {
                Varint(bytes.Length + 1);
            }
            else
            {
                Int16((short)bytes.Length);
            }

            output.AddRange(bytes);
        }

        void Bytes(byte[] b)
        {
            if (flexible)
            {
                Varint(b.Length + 1);
            }
            else
            {
                Int32(b.Length);
            }

            output.AddRange(b);
        }

        Int16(version);
        String("consumer");
        Int32(3);
        String("range");
        String("m");
        if (version >= 2)
        {
            Int64(99);
        }

        if (flexible)
        {
            Varint(2);
        }
        else
        {
            Int32(1);
        }

        String("m");
        if (version >= 3)
        {
            String("i");
        }

        String("c");
        String("/h");
        if (version >= 1)
        {
            Int32(20_000);
        }

        Int32(10_000);
        Bytes([1, 2]);
        Bytes([3]);
        if (flexible)
        {
            // One tagged field (tag 5, two bytes) in the member, none at the end: both skipped.
            output.AddRange([1, 5, 2, 0xAA, 0xBB]);
            Varint(0);
        }

        return output.ToArray();
    }
}
