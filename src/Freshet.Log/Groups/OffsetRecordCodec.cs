using System.Buffers.Binary;
using System.Text;

namespace Freshet.Log.Groups;

/// <summary>
/// Encodes committed offsets as the key and value of a record in the internal
/// <c>__consumer_offsets</c> log, in the layout Kafka uses for that topic, so the format is versioned
/// the same way. Big-endian; a string is an int16 byte length then UTF-8 bytes.
/// <code>
/// key   (version 1, offset commit):  int16 version = 1 | string group | string topic | int32 partition
/// value (version 3):                 int16 version = 3 | int64 offset | int32 leaderEpoch
///                                    | string metadata | int64 commitTimestampMs
/// </code>
/// A null value (a tombstone) deletes the key's commit. Key version 0 is read like version 1 (same
/// layout in Kafka); key version 2 is Kafka's group-metadata record (<c>GroupMetadataRecordCodec</c>);
/// other versions, and value versions other than 3, are reported as unreadable. Null metadata is
/// stored as the empty string, as Kafka's coordinator does.
/// Decoding treats its input as untrusted and never throws. Pure; thread-safe.
/// </summary>
internal static class OffsetRecordCodec
{
    public const short OffsetKeyVersion = 1;
    public const short GroupMetadataKeyVersion = 2;
    public const short ValueVersion = 3;

    /// <summary>Largest UTF-8 byte length of a string in this format (int16 length prefix).</summary>
    public const int MaxStringBytes = short.MaxValue;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] EncodeKey(string group, string topic, int partition)
    {
        var groupBytes = Encoding.UTF8.GetByteCount(group);
        var topicBytes = Encoding.UTF8.GetByteCount(topic);
        var bytes = new byte[2 + 2 + groupBytes + 2 + topicBytes + 4];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt16BigEndian(span, OffsetKeyVersion);
        var at = 2;
        at += WriteString(span[at..], group, groupBytes);
        at += WriteString(span[at..], topic, topicBytes);
        BinaryPrimitives.WriteInt32BigEndian(span[at..], partition);
        return bytes;
    }

    public static byte[] EncodeValue(long offset, int leaderEpoch, string metadata, long commitTimestampMs)
    {
        var metadataBytes = Encoding.UTF8.GetByteCount(metadata);
        var bytes = new byte[2 + 8 + 4 + 2 + metadataBytes + 8];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt16BigEndian(span, ValueVersion);
        BinaryPrimitives.WriteInt64BigEndian(span[2..], offset);
        BinaryPrimitives.WriteInt32BigEndian(span[10..], leaderEpoch);
        var at = 14 + WriteString(span[14..], metadata, metadataBytes);
        BinaryPrimitives.WriteInt64BigEndian(span[at..], commitTimestampMs);
        return bytes;
    }

    /// <summary>Reads a key. Returns its version, or -1 when the bytes are malformed; group, topic and partition are set only for offset keys (versions 0 and 1).</summary>
    public static short ReadKey(ReadOnlySpan<byte> key, out string group, out string topic, out int partition)
    {
        group = topic = string.Empty;
        partition = -1;
        if (key.Length < 2)
        {
            return -1;
        }

        var version = BinaryPrimitives.ReadInt16BigEndian(key);
        if (version is not (0 or OffsetKeyVersion))
        {
            return version < 0 ? (short)-1 : version;
        }

        var at = 2;
        if (!TryReadString(key, ref at, out group) || !TryReadString(key, ref at, out topic) || key.Length - at != 4)
        {
            return -1;
        }

        partition = BinaryPrimitives.ReadInt32BigEndian(key[at..]);
        return version;
    }

    /// <summary>Reads a version-3 value; false when it is malformed or of another version.</summary>
    public static bool TryReadValue(ReadOnlySpan<byte> value, out long offset, out int leaderEpoch, out string metadata, out long commitTimestampMs)
    {
        offset = commitTimestampMs = 0;
        leaderEpoch = -1;
        metadata = string.Empty;
        if (value.Length < 14 || BinaryPrimitives.ReadInt16BigEndian(value) != ValueVersion)
        {
            return false;
        }

        offset = BinaryPrimitives.ReadInt64BigEndian(value[2..]);
        leaderEpoch = BinaryPrimitives.ReadInt32BigEndian(value[10..]);
        var at = 14;
        if (!TryReadString(value, ref at, out metadata) || value.Length - at != 8)
        {
            return false;
        }

        commitTimestampMs = BinaryPrimitives.ReadInt64BigEndian(value[at..]);
        return true;
    }

    private static int WriteString(Span<byte> destination, string text, int byteCount)
    {
        BinaryPrimitives.WriteInt16BigEndian(destination, checked((short)byteCount));
        return 2 + Encoding.UTF8.GetBytes(text, destination[2..]);
    }

    private static bool TryReadString(ReadOnlySpan<byte> source, ref int at, out string text)
    {
        text = string.Empty;
        if (source.Length - at < 2)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt16BigEndian(source[at..]);
        if (length < 0 || source.Length - at - 2 < length)
        {
            return false;
        }

        try
        {
            text = StrictUtf8.GetString(source.Slice(at + 2, length));
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        at += 2 + length;
        return true;
    }
}
