using System.Buffers.Binary;
using System.Text;

namespace Freshet.Broker.Groups;

/// <summary>
/// Reads the partitions out of a member's assignment in the "consumer" protocol type (Kafka's
/// ConsumerProtocolAssignment, versions 0 to 3: int16 version, then an int32 count of topics, each an int16-length
/// UTF-8 name and an int32 count of int32 partitions; the user data after them is not needed here). Untrusted input
/// (the group leader wrote it); never throws. Pure.
/// </summary>
internal static class ConsumerAssignment
{
    /// <summary>The assigned partitions, in the order the leader wrote them; false (and nothing) if the bytes are malformed.</summary>
    public static bool TryReadPartitions(ReadOnlySpan<byte> assignment, out List<(string Topic, int Partition)> partitions)
    {
        partitions = [];
        if (assignment.Length < 6 || BinaryPrimitives.ReadInt16BigEndian(assignment) < 0)
        {
            return false;
        }

        var topicCount = BinaryPrimitives.ReadInt32BigEndian(assignment[2..]);
        var at = 6;
        if (topicCount < 0 || topicCount > assignment.Length)
        {
            return topicCount == -1;
        }

        for (var i = 0; i < topicCount; i++)
        {
            if (assignment.Length - at < 2)
            {
                return Fail(partitions);
            }

            var nameLength = BinaryPrimitives.ReadInt16BigEndian(assignment[at..]);
            if (nameLength < 0 || assignment.Length - at - 2 < nameLength + 4)
            {
                return Fail(partitions);
            }

            var topic = Encoding.UTF8.GetString(assignment.Slice(at + 2, nameLength));
            at += 2 + nameLength;
            var partitionCount = BinaryPrimitives.ReadInt32BigEndian(assignment[at..]);
            at += 4;

            // Compared as longs: a hostile count times 4 must not overflow past the check.
            if (partitionCount < 0 || (long)partitionCount * 4 > assignment.Length - at)
            {
                return Fail(partitions);
            }

            for (var p = 0; p < partitionCount; p++)
            {
                partitions.Add((topic, BinaryPrimitives.ReadInt32BigEndian(assignment[at..])));
                at += 4;
            }
        }

        return true;
    }

    private static bool Fail(List<(string Topic, int Partition)> partitions)
    {
        partitions.Clear();
        return false;
    }
}
