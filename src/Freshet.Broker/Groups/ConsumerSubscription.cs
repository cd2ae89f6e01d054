using System.Buffers.Binary;
using System.Text;

namespace Freshet.Broker.Groups;

/// <summary>
/// Reads the topics out of a member's metadata in the "consumer" protocol type (Kafka's
/// ConsumerProtocolSubscription: int16 version, then an int32 count of int16-length UTF-8 topic names
/// first in every version; the rest is not needed here). Untrusted input; never throws. Pure.
/// </summary>
internal static class ConsumerSubscription
{
    /// <summary>The protocol type of Kafka's consumers.</summary>
    public const string ProtocolType = "consumer";

    public static bool TryReadTopics(ReadOnlySpan<byte> metadata, out List<string> topics)
    {
        topics = [];
        if (metadata.Length < 6 || BinaryPrimitives.ReadInt16BigEndian(metadata) < 0)
        {
            return false;
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(metadata[2..]);
        var at = 6;
        if (count < 0 || count > metadata.Length)
        {
            return count == -1;
        }

        for (var i = 0; i < count; i++)
        {
            if (metadata.Length - at < 2)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadInt16BigEndian(metadata[at..]);
            if (length < 0 || metadata.Length - at - 2 < length)
            {
                return false;
            }

            topics.Add(Encoding.UTF8.GetString(metadata.Slice(at + 2, length)));
            at += 2 + length;
        }

        return true;
    }
}
