using System.Buffers;
using System.Buffers.Binary;

namespace Freshet.Streaming.Connectors.Kafka;

/// <summary>
/// The committable of <see cref="KafkaExactlyOnceSinkWriter{T}"/>: the records one sink subtask received between two
/// checkpoint barriers, stored in the checkpoint until the checkpoint completes and they are produced to Kafka. Pure
/// codec, no I/O.
/// <para>
/// Form (version 1, integers big-endian): version byte 1, int64 checkpoint id, int32 record count, then per record an
/// int64 timestamp (Unix ms, CreateTime), an int32 key length (-1 = null key) and the key's bytes, an int32 value
/// length (-1 = null value, a tombstone) and the value's bytes. The records part is built incrementally by
/// <see cref="AppendRecord"/>; <see cref="Create"/> puts the header in front of it.
/// </para>
/// </summary>
internal static class KafkaCommittable
{
    /// <summary>The only version written and read.</summary>
    public const byte Version = 1;

    /// <summary>Bytes before the first record: version, checkpoint id, count.</summary>
    public const int HeaderLength = 13;

    /// <summary>Bytes of a record besides its key and value: timestamp and the two lengths.</summary>
    public const int RecordOverhead = 16;

    /// <summary>Appends one record to <paramref name="records"/>; a null key or value is written as length -1.</summary>
    public static void AppendRecord(IBufferWriter<byte> records, long timestampMs, ReadOnlySpan<byte> key, bool hasKey, ReadOnlySpan<byte> value, bool hasValue)
    {
        var keyLength = hasKey ? key.Length : 0;
        var valueLength = hasValue ? value.Length : 0;
        var size = RecordOverhead + keyLength + valueLength;
        var span = records.GetSpan(size);
        BinaryPrimitives.WriteInt64BigEndian(span, timestampMs);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], hasKey ? keyLength : -1);
        key[..keyLength].CopyTo(span[12..]);
        var at = 12 + keyLength;
        BinaryPrimitives.WriteInt32BigEndian(span[at..], hasValue ? valueLength : -1);
        value[..valueLength].CopyTo(span[(at + 4)..]);
        records.Advance(size);
    }

    /// <summary>The committable of checkpoint <paramref name="checkpointId"/>: the header, then <paramref name="records"/> (made by <see cref="AppendRecord"/>).</summary>
    public static byte[] Create(long checkpointId, int count, ReadOnlySpan<byte> records)
    {
        var bytes = new byte[HeaderLength + records.Length];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), checkpointId);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(9), count);
        records.CopyTo(bytes.AsSpan(HeaderLength));
        return bytes;
    }

    /// <summary>Decodes a whole committable (so a malformed one fails before anything is produced).</summary>
    /// <exception cref="InvalidDataException">Not a version-1 committable, truncated or with trailing bytes.</exception>
    public static BufferedKafkaRecord[] Decode(ReadOnlySpan<byte> bytes, out long checkpointId)
    {
        if (bytes.Length < HeaderLength || bytes[0] != Version)
        {
            throw new InvalidDataException($"Not a Kafka sink committable (version {Version} expected).");
        }

        checkpointId = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes[9..]);
        if (count < 0 || count > (bytes.Length - HeaderLength) / RecordOverhead)
        {
            throw new InvalidDataException($"Kafka sink committable of checkpoint {checkpointId} has an impossible record count {count}.");
        }

        var records = new BufferedKafkaRecord[count];
        var at = HeaderLength;
        for (var i = 0; i < count; i++)
        {
            if (bytes.Length - at < RecordOverhead)
            {
                throw new InvalidDataException($"Kafka sink committable of checkpoint {checkpointId} is truncated at record {i} of {count}.");
            }

            var timestamp = BinaryPrimitives.ReadInt64BigEndian(bytes[at..]);
            at += 8;
            var key = ReadBytes(bytes, ref at, checkpointId, i);
            var value = ReadBytes(bytes, ref at, checkpointId, i);
            records[i] = new BufferedKafkaRecord(timestamp, key, value);
        }

        if (at != bytes.Length)
        {
            throw new InvalidDataException($"Kafka sink committable of checkpoint {checkpointId} has {bytes.Length - at} trailing bytes.");
        }

        return records;
    }

    private static byte[]? ReadBytes(ReadOnlySpan<byte> bytes, ref int at, long checkpointId, int record)
    {
        if (bytes.Length - at < 4)
        {
            throw new InvalidDataException($"Kafka sink committable of checkpoint {checkpointId} is truncated in record {record}.");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(bytes[at..]);
        at += 4;
        if (length == -1)
        {
            return null;
        }

        if (length < 0 || bytes.Length - at < length)
        {
            throw new InvalidDataException($"Kafka sink committable of checkpoint {checkpointId} has a malformed length {length} in record {record}.");
        }

        var result = bytes.Slice(at, length).ToArray();
        at += length;
        return result;
    }
}
