using System.Buffers.Binary;
using System.Text;

namespace Freshet.Log.Groups;

/// <summary>
/// Encodes a group's <see cref="GroupMetadata"/> as the key and value of a record in the internal
/// <c>__consumer_offsets</c> log, in Kafka's layout for that record (so a group written by either reads
/// the same). Big-endian; a string is an int16 byte length then UTF-8 (length -1: null); bytes are an
/// int32 length then the bytes; an array is an int32 count then its elements.
/// <code>
/// key   (version 2):  int16 version = 2 | string group
/// value (version 3):  int16 version = 3 | string protocolType | int32 generation | string? protocol
///                     | string? leader | int64 currentStateTimestamp | int32 memberCount
///                     | members: string memberId | string? groupInstanceId | string clientId
///                       | string clientHost | int32 rebalanceTimeout | int32 sessionTimeout
///                       | bytes subscription | bytes assignment
/// </code>
/// Version 3 is written (what Kafka 2.3 and later write). Versions 0 to 4 are read: version 0 lacks the
/// rebalance timeout (the session timeout stands in), versions below 2 the state timestamp (-1), below 3
/// the instance id (null); version 4 is the flexible form (unsigned-varint lengths plus one, tagged
/// fields after each structure, which are skipped). A null value (a tombstone) deletes the group.
/// Decoding treats its input as untrusted and never throws. Pure; thread-safe.
/// </summary>
internal static class GroupMetadataRecordCodec
{
    public const short ValueVersion = 3;
    public const short HighestReadableValueVersion = 4;

    public static byte[] EncodeKey(string group)
    {
        var groupBytes = Encoding.UTF8.GetByteCount(group);
        var bytes = new byte[2 + 2 + groupBytes];
        BinaryPrimitives.WriteInt16BigEndian(bytes, OffsetRecordCodec.GroupMetadataKeyVersion);
        WriteString(bytes.AsSpan(2), group);
        return bytes;
    }

    public static byte[] EncodeValue(GroupMetadata metadata)
    {
        var size = 2 + StringSize(metadata.ProtocolType) + 4 + StringSize(metadata.Protocol) + StringSize(metadata.Leader) + 8 + 4;
        foreach (var member in metadata.Members)
        {
            size += StringSize(member.MemberId) + StringSize(member.GroupInstanceId) + StringSize(member.ClientId) + StringSize(member.ClientHost)
                + 4 + 4 + 4 + member.Subscription.Length + 4 + member.Assignment.Length;
        }

        var bytes = new byte[size];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt16BigEndian(span, ValueVersion);
        var at = 2;
        at += WriteString(span[at..], metadata.ProtocolType);
        BinaryPrimitives.WriteInt32BigEndian(span[at..], metadata.Generation);
        at += 4;
        at += WriteString(span[at..], metadata.Protocol);
        at += WriteString(span[at..], metadata.Leader);
        BinaryPrimitives.WriteInt64BigEndian(span[at..], metadata.CurrentStateTimestampMs);
        at += 8;
        BinaryPrimitives.WriteInt32BigEndian(span[at..], metadata.Members.Count);
        at += 4;
        foreach (var member in metadata.Members)
        {
            at += WriteString(span[at..], member.MemberId);
            at += WriteString(span[at..], member.GroupInstanceId);
            at += WriteString(span[at..], member.ClientId);
            at += WriteString(span[at..], member.ClientHost);
            BinaryPrimitives.WriteInt32BigEndian(span[at..], member.RebalanceTimeoutMs);
            BinaryPrimitives.WriteInt32BigEndian(span[(at + 4)..], member.SessionTimeoutMs);
            at += 8;
            at += WriteBytes(span[at..], member.Subscription);
            at += WriteBytes(span[at..], member.Assignment);
        }

        return bytes;
    }

    /// <summary>Reads a group metadata key (version 2); false when it is malformed.</summary>
    public static bool TryReadKey(ReadOnlySpan<byte> key, out string group)
    {
        group = string.Empty;
        if (key.Length < 2 || BinaryPrimitives.ReadInt16BigEndian(key) != OffsetRecordCodec.GroupMetadataKeyVersion)
        {
            return false;
        }

        var reader = new Reader(key[2..], flexible: false);
        if (!reader.TryReadString(out var text) || text is null || !reader.AtEnd)
        {
            return false;
        }

        group = text;
        return true;
    }

    /// <summary>Reads a value of version 0 to 4; false when it is malformed or of another version.</summary>
    public static bool TryReadValue(ReadOnlySpan<byte> value, out GroupMetadata metadata)
    {
        metadata = null!;
        if (value.Length < 2)
        {
            return false;
        }

        var version = BinaryPrimitives.ReadInt16BigEndian(value);
        if (version is < 0 or > HighestReadableValueVersion)
        {
            return false;
        }

        var reader = new Reader(value[2..], flexible: version >= 4);
        if (!reader.TryReadString(out var protocolType) || protocolType is null
            || !reader.TryReadInt32(out var generation)
            || !reader.TryReadString(out var protocol)
            || !reader.TryReadString(out var leader))
        {
            return false;
        }

        long timestamp = -1;
        if (version >= 2 && !reader.TryReadInt64(out timestamp))
        {
            return false;
        }

        if (!reader.TryReadArrayLength(out var count))
        {
            return false;
        }

        var members = new List<GroupMemberMetadata>(Math.Min(count, 1024));
        for (var i = 0; i < count; i++)
        {
            string? instanceId = null;
            var rebalanceTimeout = -1;
            if (!reader.TryReadString(out var memberId) || memberId is null
                || (version >= 3 && !reader.TryReadString(out instanceId))
                || !reader.TryReadString(out var clientId) || clientId is null
                || !reader.TryReadString(out var clientHost) || clientHost is null
                || (version >= 1 && !reader.TryReadInt32(out rebalanceTimeout))
                || !reader.TryReadInt32(out var sessionTimeout)
                || !reader.TryReadBytes(out var subscription)
                || !reader.TryReadBytes(out var assignment)
                || !reader.TrySkipTaggedFields())
            {
                return false;
            }

            members.Add(new GroupMemberMetadata(memberId, instanceId, clientId, clientHost, version >= 1 ? rebalanceTimeout : sessionTimeout, sessionTimeout, subscription, assignment));
        }

        if (!reader.TrySkipTaggedFields() || !reader.AtEnd)
        {
            return false;
        }

        metadata = new GroupMetadata(protocolType, generation, protocol, leader, timestamp, members);
        return true;
    }

    private static int StringSize(string? text) => 2 + (text is null ? 0 : Encoding.UTF8.GetByteCount(text));

    private static int WriteString(Span<byte> destination, string? text)
    {
        if (text is null)
        {
            BinaryPrimitives.WriteInt16BigEndian(destination, -1);
            return 2;
        }

        var written = Encoding.UTF8.GetBytes(text, destination[2..]);
        BinaryPrimitives.WriteInt16BigEndian(destination, checked((short)written));
        return 2 + written;
    }

    private static int WriteBytes(Span<byte> destination, byte[] bytes)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, bytes.Length);
        bytes.CopyTo(destination[4..]);
        return 4 + bytes.Length;
    }

    /// <summary>Reads the fields of one record value, classic (fixed-width lengths) or flexible (varint lengths, tagged fields).</summary>
    private ref struct Reader
    {
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        private readonly ReadOnlySpan<byte> _source;
        private readonly bool _flexible;
        private int _at;

        public Reader(ReadOnlySpan<byte> source, bool flexible)
        {
            _source = source;
            _flexible = flexible;
            _at = 0;
        }

        public readonly bool AtEnd => _at == _source.Length;

        public bool TryReadInt32(out int value)
        {
            value = 0;
            if (_source.Length - _at < 4)
            {
                return false;
            }

            value = BinaryPrimitives.ReadInt32BigEndian(_source[_at..]);
            _at += 4;
            return true;
        }

        public bool TryReadInt64(out long value)
        {
            value = 0;
            if (_source.Length - _at < 8)
            {
                return false;
            }

            value = BinaryPrimitives.ReadInt64BigEndian(_source[_at..]);
            _at += 8;
            return true;
        }

        /// <summary>Reads a nullable string; a null one comes back as null.</summary>
        public bool TryReadString(out string? text)
        {
            text = null;
            int length;
            if (_flexible)
            {
                if (!TryReadUnsignedVarint(out var encoded))
                {
                    return false;
                }

                length = (int)encoded - 1;
            }
            else
            {
                if (_source.Length - _at < 2)
                {
                    return false;
                }

                length = BinaryPrimitives.ReadInt16BigEndian(_source[_at..]);
                _at += 2;
            }

            if (length < 0)
            {
                return length == -1;
            }

            if (_source.Length - _at < length)
            {
                return false;
            }

            try
            {
                text = StrictUtf8.GetString(_source.Slice(_at, length));
            }
            catch (DecoderFallbackException)
            {
                return false;
            }

            _at += length;
            return true;
        }

        /// <summary>Reads a byte array; a null one comes back empty.</summary>
        public bool TryReadBytes(out byte[] bytes)
        {
            bytes = [];
            int length;
            if (_flexible)
            {
                if (!TryReadUnsignedVarint(out var encoded))
                {
                    return false;
                }

                length = (int)encoded - 1;
            }
            else if (!TryReadInt32(out length))
            {
                return false;
            }

            if (length < 0)
            {
                return length == -1;
            }

            if (_source.Length - _at < length)
            {
                return false;
            }

            bytes = _source.Slice(_at, length).ToArray();
            _at += length;
            return true;
        }

        /// <summary>Reads an array's element count; at most the bytes left, so a corrupt count cannot make the caller allocate much.</summary>
        public bool TryReadArrayLength(out int count)
        {
            count = 0;
            if (_flexible)
            {
                if (!TryReadUnsignedVarint(out var encoded) || encoded == 0)
                {
                    return false;
                }

                count = (int)encoded - 1;
            }
            else if (!TryReadInt32(out count) || count < 0)
            {
                return false;
            }

            return count <= _source.Length - _at;
        }

        /// <summary>Skips the tagged fields that end a structure in the flexible form; nothing in the classic form.</summary>
        public bool TrySkipTaggedFields()
        {
            if (!_flexible)
            {
                return true;
            }

            if (!TryReadUnsignedVarint(out var fields))
            {
                return false;
            }

            for (uint i = 0; i < fields; i++)
            {
                if (!TryReadUnsignedVarint(out _) || !TryReadUnsignedVarint(out var size) || (uint)(_source.Length - _at) < size)
                {
                    return false;
                }

                _at += (int)size;
            }

            return true;
        }

        private bool TryReadUnsignedVarint(out uint value)
        {
            value = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                if (_at >= _source.Length)
                {
                    return false;
                }

                var b = _source[_at++];
                value |= (uint)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value <= int.MaxValue;
                }
            }

            return false;
        }
    }
}
