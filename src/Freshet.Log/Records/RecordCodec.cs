using System.Text;

namespace Freshet.Log.Records;

/// <summary>
/// Encodes and decodes one record inside the records section of a v2 batch. Wire form:
/// <code>
/// length varint (bytes after this field)
///   attributes int8 (unused, 0)   timestampDelta varlong   offsetDelta varint
///   keyLength varint (-1 = null)  key                       valueLength varint (-1 = null)  value
///   headerCount varint            per header: keyLength varint (>= 0), key UTF-8, valueLength varint (-1 = null), value
/// </code>
/// Decoding treats its input as untrusted: every length is checked against the bytes that remain,
/// and every failure is a <see cref="LogException"/> with <see cref="LogErrorCode.CorruptMessage"/>.
/// Pure; thread-safe.
/// </summary>
internal static class RecordCodec
{
    /// <summary>
    /// Smallest encoded record: length, attributes, timestamp delta, offset delta, key length,
    /// value length and header count, one byte each. Bounds record counts before anything is allocated.
    /// </summary>
    internal const int MinRecordBytes = 7;

    /// <summary>Size of the record after its length prefix. A null key or value is passed as length -1.</summary>
    internal static int BodySize(long timestampDelta, int offsetDelta, int keyLength, int valueLength, IReadOnlyList<RecordHeader>? headers)
    {
        var size = 1
            + Varint.SizeOfVarlong(timestampDelta)
            + Varint.SizeOfVarint(offsetDelta)
            + Varint.SizeOfVarint(keyLength) + Math.Max(keyLength, 0)
            + Varint.SizeOfVarint(valueLength) + Math.Max(valueLength, 0);
        var headerCount = headers?.Count ?? 0;
        size += Varint.SizeOfVarint(headerCount);
        for (var i = 0; i < headerCount; i++)
        {
            var header = headers![i];
            if (header.Key is null)
            {
                throw new ArgumentException($"Header {i} has a null key; Kafka header keys cannot be null.", nameof(headers));
            }

            var keyBytes = Encoding.UTF8.GetByteCount(header.Key);
            var valueBytes = header.Value?.Length ?? -1;
            size += Varint.SizeOfVarint(keyBytes) + keyBytes + Varint.SizeOfVarint(valueBytes) + Math.Max(valueBytes, 0);
        }

        return size;
    }

    /// <summary>Size of the whole record, length prefix included.</summary>
    internal static int TotalSize(int bodySize) => Varint.SizeOfVarint(bodySize) + bodySize;

    /// <summary>
    /// Writes one record, length prefix included, at the start of <paramref name="destination"/>, which must
    /// hold <see cref="TotalSize"/> bytes. <paramref name="bodySize"/> comes from <see cref="BodySize"/> with the same arguments.
    /// </summary>
    /// <returns>The number of bytes written.</returns>
    internal static int Write(
        Span<byte> destination,
        int bodySize,
        long timestampDelta,
        int offsetDelta,
        ReadOnlySpan<byte> key,
        bool keyIsNull,
        ReadOnlySpan<byte> value,
        bool valueIsNull,
        IReadOnlyList<RecordHeader>? headers)
    {
        var p = Varint.WriteVarint(destination, bodySize);
        destination[p++] = 0;
        p += Varint.WriteVarlong(destination[p..], timestampDelta);
        p += Varint.WriteVarint(destination[p..], offsetDelta);
        p += WriteBytes(destination[p..], key, keyIsNull);
        p += WriteBytes(destination[p..], value, valueIsNull);
        var headerCount = headers?.Count ?? 0;
        p += Varint.WriteVarint(destination[p..], headerCount);
        for (var i = 0; i < headerCount; i++)
        {
            var header = headers![i];
            var keyBytes = Encoding.UTF8.GetByteCount(header.Key);
            p += Varint.WriteVarint(destination[p..], keyBytes);
            p += Encoding.UTF8.GetBytes(header.Key, destination[p..]);
            p += WriteBytes(destination[p..], header.Value, header.Value is null);
        }

        return p;
    }

    /// <summary>
    /// Reads the record at <paramref name="position"/> in an uncompressed records section and advances
    /// <paramref name="position"/> past it. With <paramref name="materialize"/> false, only checks the
    /// structure and returns null (no allocation), as the validator needs.
    /// </summary>
    /// <param name="records">The records section (decompressed).</param>
    /// <param name="position">Where the record starts; on return, where the next one starts.</param>
    /// <param name="index">The record's index in its batch, for error messages.</param>
    /// <param name="header">The batch header: base offset and timestamps.</param>
    /// <param name="materialize">Whether to build the <see cref="LogRecord"/>.</param>
    /// <param name="offsetDelta">The record's offset delta.</param>
    /// <exception cref="LogException">With <see cref="LogErrorCode.CorruptMessage"/> when the bytes are not a well-formed record.</exception>
    internal static LogRecord? Read(ReadOnlySpan<byte> records, ref int position, int index, in RecordBatchHeader header, bool materialize, out int offsetDelta)
    {
        var length = ReadVarint(records, ref position, index, "length");
        if (length < 0 || length > records.Length - position)
        {
            throw Corrupt(index, $"declares {length} bytes but {records.Length - position} remain in the batch");
        }

        var body = records.Slice(position, length);
        position += length;

        var p = 0;
        if (body.IsEmpty)
        {
            throw Corrupt(index, "is empty");
        }

        p++; // attributes: unused in v2
        var timestampDelta = ReadVarlong(body, ref p, index, "timestamp delta");
        offsetDelta = ReadVarint(body, ref p, index, "offset delta");
        var key = ReadBytes(body, ref p, index, "key", materialize);
        var value = ReadBytes(body, ref p, index, "value", materialize);
        var headerCount = ReadVarint(body, ref p, index, "header count");

        // A header takes at least two bytes (two lengths), which bounds the count before allocating.
        if (headerCount < 0 || headerCount > (body.Length - p) / 2)
        {
            throw Corrupt(index, $"declares {headerCount} headers but only {body.Length - p} bytes remain");
        }

        var headers = materialize && headerCount > 0 ? new RecordHeader[headerCount] : null;
        for (var h = 0; h < headerCount; h++)
        {
            var keyLength = ReadVarint(body, ref p, index, "header key length");
            if (keyLength < 0 || keyLength > body.Length - p)
            {
                throw Corrupt(index, $"header {h} has a key of {keyLength} bytes with {body.Length - p} remaining");
            }

            var headerKey = materialize ? Encoding.UTF8.GetString(body.Slice(p, keyLength)) : null;
            p += keyLength;
            var headerValue = ReadBytes(body, ref p, index, "header value", materialize);
            if (headers is not null)
            {
                headers[h] = new RecordHeader(headerKey!, headerValue);
            }
        }

        if (p != body.Length)
        {
            throw Corrupt(index, $"declares {body.Length} bytes but its fields take {p}");
        }

        if (!materialize)
        {
            return null;
        }

        // Wrapping arithmetic on purpose: the writer computed the delta with the same wrap, so any
        // pair of timestamps round-trips.
        var timestamp = header.IsLogAppendTime ? header.MaxTimestamp : unchecked(header.BaseTimestamp + timestampDelta);
        return new LogRecord(timestamp, key, value, headers)
        {
            Offset = unchecked(header.BaseOffset + offsetDelta),
        };
    }

    private static int WriteBytes(Span<byte> destination, ReadOnlySpan<byte> bytes, bool isNull)
    {
        if (isNull)
        {
            return Varint.WriteVarint(destination, -1);
        }

        var p = Varint.WriteVarint(destination, bytes.Length);
        bytes.CopyTo(destination[p..]);
        return p + bytes.Length;
    }

    private static byte[]? ReadBytes(ReadOnlySpan<byte> body, ref int p, int index, string field, bool materialize)
    {
        // Not ReadVarint(..., field + " length"): that would allocate a string per record on the append path.
        if (!Varint.TryReadVarint(body[p..], out var length, out var read))
        {
            throw Corrupt(index, $"has a malformed or truncated {field} length");
        }

        p += read;
        if (length == -1)
        {
            return null;
        }

        if (length < -1 || length > body.Length - p)
        {
            throw Corrupt(index, $"has a {field} of {length} bytes with {body.Length - p} remaining");
        }

        var bytes = materialize ? body.Slice(p, length).ToArray() : null;
        p += length;
        return bytes;
    }

    private static int ReadVarint(ReadOnlySpan<byte> source, ref int p, int index, string field)
    {
        if (!Varint.TryReadVarint(source[p..], out var value, out var read))
        {
            throw Corrupt(index, $"has a malformed or truncated {field}");
        }

        p += read;
        return value;
    }

    private static long ReadVarlong(ReadOnlySpan<byte> source, ref int p, int index, string field)
    {
        if (!Varint.TryReadVarlong(source[p..], out var value, out var read))
        {
            throw Corrupt(index, $"has a malformed or truncated {field}");
        }

        p += read;
        return value;
    }

    private static LogException Corrupt(int index, string problem) =>
        new(LogErrorCode.CorruptMessage, $"Record {index} {problem}.");
}
