using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Freshet.Log.Groups;

namespace Freshet.Log.Transactions;

/// <summary>
/// Encodes a transactional id's state as the key and value of a record in the internal
/// <c>__transaction_state</c> log. Big-endian; a string is an int16 byte length then UTF-8 bytes
/// (length -1: null).
/// <code>
/// key   (version 0): int16 0 | string transactionalId
/// value (version 0): int16 0 | int64 producerId | int16 producerEpoch | int32 timeoutMs | int8 state
///                    | int32 topic count, per topic: string topic | int32 count | int32 partition...
///                    | int64 lastUpdateTimestampMs | int64 startTimestampMs
///                    | int32 group count, per group: string group | int32 count, per offset:
///                      string topic | int32 partition | int64 offset | int32 leaderEpoch | string metadata
/// </code>
/// Up to <c>startTimestampMs</c> the value is Kafka's TransactionLogValue version 0; the pending group
/// offsets that follow are Freshet's (Kafka keeps them in <c>__consumer_offsets</c> instead), so a
/// commit decided before a crash still applies them on recovery. A null value deletes the key.
/// Decoding treats its input as untrusted and never throws. Pure; thread-safe.
/// </summary>
internal static class TransactionStateCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] EncodeKey(string transactionalId)
    {
        var writer = new ArrayBufferWriter<byte>(64);
        WriteInt16(writer, 0);
        WriteString(writer, transactionalId);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] EncodeValue(TransactionMetadata metadata)
    {
        var writer = new ArrayBufferWriter<byte>(256);
        WriteInt16(writer, 0);
        WriteInt64(writer, metadata.ProducerId);
        WriteInt16(writer, metadata.ProducerEpoch);
        WriteInt32(writer, metadata.TimeoutMs);
        writer.GetSpan(1)[0] = (byte)metadata.State;
        writer.Advance(1);

        var byTopic = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var partition in metadata.Partitions)
        {
            if (!byTopic.TryGetValue(partition.Topic, out var ids))
            {
                ids = [];
                byTopic[partition.Topic] = ids;
            }

            ids.Add(partition.Partition);
        }

        WriteInt32(writer, byTopic.Count);
        foreach (var (topic, ids) in byTopic)
        {
            WriteString(writer, topic);
            WriteInt32(writer, ids.Count);
            foreach (var id in ids)
            {
                WriteInt32(writer, id);
            }
        }

        WriteInt64(writer, metadata.LastUpdateTimestampMs);
        WriteInt64(writer, metadata.StartTimestampMs);
        WriteInt32(writer, metadata.PendingOffsets.Count);
        foreach (var (group, offsets) in metadata.PendingOffsets)
        {
            WriteString(writer, group);
            WriteInt32(writer, offsets.Count);
            foreach (var commit in offsets)
            {
                WriteString(writer, commit.Topic);
                WriteInt32(writer, commit.Partition);
                WriteInt64(writer, commit.Offset);
                WriteInt32(writer, commit.LeaderEpoch);
                WriteString(writer, commit.Metadata);
            }
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a key; false if it is not a version 0 key.</summary>
    public static bool TryReadKey(byte[] key, out string transactionalId)
    {
        var reader = new Reader(key);
        transactionalId = string.Empty;
        if (!reader.TryInt16(out var version) || version != 0 || !reader.TryString(out var id) || id is null || !reader.AtEnd)
        {
            return false;
        }

        transactionalId = id;
        return true;
    }

    /// <summary>Reads a value; false if it is malformed.</summary>
    public static bool TryReadValue(string transactionalId, byte[] value, out TransactionMetadata metadata)
    {
        metadata = null!;
        var reader = new Reader(value);
        if (!reader.TryInt16(out var version) || version != 0
            || !reader.TryInt64(out var producerId) || !reader.TryInt16(out var epoch) || !reader.TryInt32(out var timeoutMs)
            || !reader.TryByte(out var state) || state > (byte)TransactionState.CompleteAbort || !reader.TryInt32(out var topics) || topics < 0)
        {
            return false;
        }

        var result = new TransactionMetadata(transactionalId, producerId, epoch, timeoutMs) { State = (TransactionState)state };
        for (var t = 0; t < topics; t++)
        {
            if (!reader.TryString(out var topic) || topic is null || !reader.TryInt32(out var count) || count < 0)
            {
                return false;
            }

            for (var i = 0; i < count; i++)
            {
                if (!reader.TryInt32(out var partition))
                {
                    return false;
                }

                result.Partitions.Add(new TransactionPartition(topic, partition));
            }
        }

        if (!reader.TryInt64(out var lastUpdate) || !reader.TryInt64(out var start) || !reader.TryInt32(out var groups) || groups < 0)
        {
            return false;
        }

        result.LastUpdateTimestampMs = lastUpdate;
        result.StartTimestampMs = start;
        for (var g = 0; g < groups; g++)
        {
            if (!reader.TryString(out var group) || group is null || !reader.TryInt32(out var count) || count < 0)
            {
                return false;
            }

            var offsets = new List<OffsetCommit>();
            for (var i = 0; i < count; i++)
            {
                if (!reader.TryString(out var topic) || topic is null || !reader.TryInt32(out var partition) || !reader.TryInt64(out var offset)
                    || !reader.TryInt32(out var leaderEpoch) || !reader.TryString(out var commitMetadata))
                {
                    return false;
                }

                offsets.Add(new OffsetCommit(topic, partition, offset, commitMetadata, leaderEpoch));
            }

            result.PendingOffsets[group] = offsets;
        }

        metadata = result;
        return reader.AtEnd;
    }

    private static void WriteInt16(ArrayBufferWriter<byte> writer, short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(writer.GetSpan(2), value);
        writer.Advance(2);
    }

    private static void WriteInt32(ArrayBufferWriter<byte> writer, int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    private static void WriteInt64(ArrayBufferWriter<byte> writer, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    private static void WriteString(ArrayBufferWriter<byte> writer, string? value)
    {
        if (value is null)
        {
            WriteInt16(writer, -1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt16(writer, checked((short)length));
        Encoding.UTF8.GetBytes(value, writer.GetSpan(length));
        writer.Advance(length);
    }

    /// <summary>A bounds-checked cursor over untrusted bytes.</summary>
    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;

        public readonly bool AtEnd => _at == _bytes.Length;

        public bool TryByte(out byte value)
        {
            value = 0;
            if (_bytes.Length - _at < 1)
            {
                return false;
            }

            value = _bytes[_at++];
            return true;
        }

        public bool TryInt16(out short value)
        {
            value = 0;
            if (_bytes.Length - _at < 2)
            {
                return false;
            }

            value = BinaryPrimitives.ReadInt16BigEndian(_bytes[_at..]);
            _at += 2;
            return true;
        }

        public bool TryInt32(out int value)
        {
            value = 0;
            if (_bytes.Length - _at < 4)
            {
                return false;
            }

            value = BinaryPrimitives.ReadInt32BigEndian(_bytes[_at..]);
            _at += 4;
            return true;
        }

        public bool TryInt64(out long value)
        {
            value = 0;
            if (_bytes.Length - _at < 8)
            {
                return false;
            }

            value = BinaryPrimitives.ReadInt64BigEndian(_bytes[_at..]);
            _at += 8;
            return true;
        }

        public bool TryString(out string? value)
        {
            value = null;
            if (!TryInt16(out var length) || length < -1 || _bytes.Length - _at < Math.Max(0, (int)length))
            {
                return false;
            }

            if (length < 0)
            {
                return true;
            }

            try
            {
                value = StrictUtf8.GetString(_bytes.Slice(_at, length));
            }
            catch (DecoderFallbackException)
            {
                return false;
            }

            _at += length;
            return true;
        }
    }
}
