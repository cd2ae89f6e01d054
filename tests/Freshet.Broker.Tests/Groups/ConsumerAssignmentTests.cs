using System.Buffers.Binary;
using System.Text;
using CsCheck;
using Freshet.Broker.Groups;

namespace Freshet.Broker.Tests.Groups;

/// <summary>
/// <see cref="ConsumerAssignment"/>: the partitions of Kafka's ConsumerProtocolAssignment, written here byte by byte as
/// the Java client and librdkafka write them; malformed and hostile bytes are refused without throwing.
/// </summary>
public sealed class ConsumerAssignmentTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void TryReadPartitions_EncodedAssignment_ReturnsEveryPartitionInOrder(short version)
    {
        var bytes = Encode(version, [("orders", [2, 0]), ("clicks", [5])], userData: [1, 2, 3]);

        Assert.True(ConsumerAssignment.TryReadPartitions(bytes, out var partitions));

        Assert.Equal([("orders", 2), ("orders", 0), ("clicks", 5)], partitions);
    }

    [Fact]
    public void TryReadPartitions_NullTopicArray_EmptyAndAccepted()
    {
        var bytes = new byte[6];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(2), -1);

        Assert.True(ConsumerAssignment.TryReadPartitions(bytes, out var partitions));
        Assert.Empty(partitions);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(-2)]
    [InlineData(0x4000_0001)]
    public void TryReadPartitions_HostilePartitionCount_RefusedWithNothing(int partitionCount)
    {
        var bytes = Encode(0, [("t", [1])], userData: null);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(2 + 4 + 2 + 1), partitionCount);

        Assert.False(ConsumerAssignment.TryReadPartitions(bytes, out var partitions));
        Assert.Empty(partitions);
    }

    [Fact]
    public void TryReadPartitions_EveryTruncation_RefusedUnlessOnlyTheUserDataIsCut()
    {
        var bytes = Encode(1, [("orders", [0, 1, 2]), ("clicks", [7])], userData: null);
        var endOfPartitions = bytes.Length - 4;
        for (var length = 0; length < bytes.Length; length++)
        {
            var read = ConsumerAssignment.TryReadPartitions(bytes.AsSpan(0, length), out var partitions);
            if (length < endOfPartitions)
            {
                Assert.False(read, $"length {length}");
                Assert.Empty(partitions);
            }
            else
            {
                // The user data is not needed to name the partitions, so it is not read.
                Assert.True(read, $"length {length}");
                Assert.Equal(4, partitions.Count);
            }
        }
    }

    [Fact]
    public void TryReadPartitions_RandomBytes_NeverThrows() =>
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            if (ConsumerAssignment.TryReadPartitions(bytes, out var partitions))
            {
                Assert.True(partitions.Count * 4 <= bytes.Length);
            }
            else
            {
                Assert.Empty(partitions);
            }
        });

    private static byte[] Encode(short version, (string Topic, int[] Partitions)[] topics, byte[]? userData)
    {
        using var stream = new MemoryStream();
        Span<byte> scratch = stackalloc byte[4];
        BinaryPrimitives.WriteInt16BigEndian(scratch, version);
        stream.Write(scratch[..2]);
        BinaryPrimitives.WriteInt32BigEndian(scratch, topics.Length);
        stream.Write(scratch);
        foreach (var (topic, partitions) in topics)
        {
            var name = Encoding.UTF8.GetBytes(topic);
            BinaryPrimitives.WriteInt16BigEndian(scratch, (short)name.Length);
            stream.Write(scratch[..2]);
            stream.Write(name);
            BinaryPrimitives.WriteInt32BigEndian(scratch, partitions.Length);
            stream.Write(scratch);
            foreach (var partition in partitions)
            {
                BinaryPrimitives.WriteInt32BigEndian(scratch, partition);
                stream.Write(scratch);
            }
        }

        BinaryPrimitives.WriteInt32BigEndian(scratch, userData?.Length ?? -1);
        stream.Write(scratch);
        stream.Write(userData ?? []);
        return stream.ToArray();
    }
}
