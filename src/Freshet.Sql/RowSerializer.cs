using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;
using Freshet.Streaming.Serialization;

namespace Freshet.Sql;

/// <summary>
/// The default binary form of a <see cref="Row"/> in keyed state, snapshots and as a key: self-describing, so it
/// needs no schema. Layout: the arity as a varint, then each value as a one-byte type tag followed by its bytes
/// (fixed-width numbers big-endian; strings and byte arrays length-prefixed with a varint; DECIMAL as its four
/// 32-bit parts; DATE as day number; TIME and DATETIME as ticks; TIMESTAMP_LTZ as UTC ticks; nested rows, arrays and
/// maps recursively). The tags are stable: snapshots written with them must stay readable. Stateless; thread-safe.
/// </summary>
internal sealed class RowSerializer : ISerializer<Row>
{
    /// <summary>The one instance.</summary>
    public static readonly RowSerializer Instance = new();

    // Bounds what a corrupt or hostile snapshot can make the reader allocate or recurse into.
    private const int MaxDepth = 64;

    private enum Tag : byte
    {
        Null = 0,
        False = 1,
        True = 2,
        SByte = 3,
        Int16 = 4,
        Int32 = 5,
        Int64 = 6,
        Single = 7,
        Double = 8,
        Decimal = 9,
        String = 10,
        Bytes = 11,
        Date = 12,
        Time = 13,
        Timestamp = 14,
        TimestampLtz = 15,
        Interval = 16,
        Row = 17,
        Array = 18,
        Map = 19,
    }

    private RowSerializer()
    {
    }

    /// <inheritdoc/>
    public void Serialize(Row value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(output);
        WriteValues(value.Values, output);
    }

    /// <inheritdoc/>
    public Row Deserialize(ReadOnlySpan<byte> input)
    {
        var reader = new Reader(input);
        var row = reader.ReadRow(0);
        if (!reader.AtEnd)
        {
            throw new SerializationException("Trailing bytes after a serialized row");
        }

        return row;
    }

    private static void WriteValues(ReadOnlySpan<object?> values, IBufferWriter<byte> output)
    {
        WriteVarint(output, (uint)values.Length);
        foreach (var value in values)
        {
            WriteValue(value, output);
        }
    }

    private static void WriteValue(object? value, IBufferWriter<byte> output)
    {
        switch (value)
        {
            case null:
                WriteTag(output, Tag.Null);
                break;
            case bool b:
                WriteTag(output, b ? Tag.True : Tag.False);
                break;
            case sbyte v:
                WriteTag(output, Tag.SByte);
                output.GetSpan(1)[0] = unchecked((byte)v);
                output.Advance(1);
                break;
            case short v:
                WriteTag(output, Tag.Int16);
                BinaryPrimitives.WriteInt16BigEndian(output.GetSpan(2), v);
                output.Advance(2);
                break;
            case int v:
                WriteTag(output, Tag.Int32);
                BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), v);
                output.Advance(4);
                break;
            case long v:
                WriteTag(output, Tag.Int64);
                WriteInt64(output, v);
                break;
            case float v:
                WriteTag(output, Tag.Single);
                BinaryPrimitives.WriteSingleBigEndian(output.GetSpan(4), v);
                output.Advance(4);
                break;
            case double v:
                WriteTag(output, Tag.Double);
                BinaryPrimitives.WriteDoubleBigEndian(output.GetSpan(8), v);
                output.Advance(8);
                break;
            case decimal v:
                WriteTag(output, Tag.Decimal);
                Span<int> parts = stackalloc int[4];
                decimal.GetBits(v, parts);
                var span = output.GetSpan(16);
                for (var i = 0; i < 4; i++)
                {
                    BinaryPrimitives.WriteInt32BigEndian(span[(i * 4)..], parts[i]);
                }

                output.Advance(16);
                break;
            case string v:
                WriteTag(output, Tag.String);
                var length = Encoding.UTF8.GetByteCount(v);
                WriteVarint(output, (uint)length);
                Encoding.UTF8.GetBytes(v, output.GetSpan(length));
                output.Advance(length);
                break;
            case byte[] v:
                WriteTag(output, Tag.Bytes);
                WriteVarint(output, (uint)v.Length);
                output.Write(v);
                break;
            case DateOnly v:
                WriteTag(output, Tag.Date);
                BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), v.DayNumber);
                output.Advance(4);
                break;
            case TimeOnly v:
                WriteTag(output, Tag.Time);
                WriteInt64(output, v.Ticks);
                break;
            case DateTime v:
                WriteTag(output, Tag.Timestamp);
                WriteInt64(output, v.Ticks);
                break;
            case DateTimeOffset v:
                WriteTag(output, Tag.TimestampLtz);
                WriteInt64(output, v.UtcTicks);
                break;
            case TimeSpan v:
                WriteTag(output, Tag.Interval);
                WriteInt64(output, v.Ticks);
                break;
            case Row v:
                WriteTag(output, Tag.Row);
                WriteValues(v.Values, output);
                break;
            case object?[] v:
                WriteTag(output, Tag.Array);
                WriteValues(v, output);
                break;
            case Dictionary<object, object?> v:
                WriteTag(output, Tag.Map);
                WriteVarint(output, (uint)v.Count);
                foreach (var (key, item) in v)
                {
                    WriteValue(key, output);
                    WriteValue(item, output);
                }

                break;
            default:
                throw new ArgumentException($"{value.GetType()} is not a SQL value type (see Row)", nameof(value));
        }
    }

    private static void WriteTag(IBufferWriter<byte> output, Tag tag)
    {
        output.GetSpan(1)[0] = (byte)tag;
        output.Advance(1);
    }

    private static void WriteInt64(IBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    private static void WriteVarint(IBufferWriter<byte> output, uint value)
    {
        var span = output.GetSpan(5);
        var written = 0;
        while (value >= 0x80)
        {
            span[written++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[written++] = (byte)value;
        output.Advance(written);
    }

    private ref struct Reader(ReadOnlySpan<byte> input)
    {
        private readonly ReadOnlySpan<byte> _input = input;
        private int _position;

        public readonly bool AtEnd => _position == _input.Length;

        public Row ReadRow(int depth) => new(ReadValues(depth));

        private object?[] ReadValues(int depth)
        {
            if (depth > MaxDepth)
            {
                throw new SerializationException($"Serialized row nests deeper than {MaxDepth} levels");
            }

            var count = ReadCount();
            var values = new object?[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = ReadValue(depth);
            }

            return values;
        }

        private object? ReadValue(int depth)
        {
            var tag = (Tag)Take(1)[0];
            return tag switch
            {
                Tag.Null => null,
                Tag.False => false,
                Tag.True => true,
                Tag.SByte => unchecked((sbyte)Take(1)[0]),
                Tag.Int16 => BinaryPrimitives.ReadInt16BigEndian(Take(2)),
                Tag.Int32 => BinaryPrimitives.ReadInt32BigEndian(Take(4)),
                Tag.Int64 => BinaryPrimitives.ReadInt64BigEndian(Take(8)),
                Tag.Single => BinaryPrimitives.ReadSingleBigEndian(Take(4)),
                Tag.Double => BinaryPrimitives.ReadDoubleBigEndian(Take(8)),
                Tag.Decimal => ReadDecimal(),
                Tag.String => ReadString(),
                Tag.Bytes => Take(ReadCount()).ToArray(),
                Tag.Date => ReadDate(),
                Tag.Time => new TimeOnly(Ticks(0, TimeOnly.MaxValue.Ticks)),
                Tag.Timestamp => new DateTime(Ticks(0, DateTime.MaxValue.Ticks)),
                Tag.TimestampLtz => new DateTimeOffset(Ticks(0, DateTime.MaxValue.Ticks), TimeSpan.Zero),
                Tag.Interval => new TimeSpan(BinaryPrimitives.ReadInt64BigEndian(Take(8))),
                Tag.Row => ReadRow(depth + 1),
                Tag.Array => ReadValues(depth + 1),
                Tag.Map => ReadMap(depth + 1),
                _ => throw new SerializationException($"Unknown value tag {(byte)tag} in a serialized row"),
            };
        }

        private decimal ReadDecimal()
        {
            var bytes = Take(16);
            Span<int> parts = stackalloc int[4];
            for (var i = 0; i < 4; i++)
            {
                parts[i] = BinaryPrimitives.ReadInt32BigEndian(bytes[(i * 4)..]);
            }

            try
            {
                return new decimal(parts);
            }
            catch (ArgumentException e)
            {
                throw new SerializationException("Invalid DECIMAL in a serialized row", e);
            }
        }

        private string ReadString()
        {
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take(ReadCount()));
            }
            catch (DecoderFallbackException e)
            {
                throw new SerializationException("Invalid UTF-8 in a serialized row", e);
            }
        }

        private DateOnly ReadDate()
        {
            var day = BinaryPrimitives.ReadInt32BigEndian(Take(4));
            return day >= 0 && day <= DateOnly.MaxValue.DayNumber
                ? DateOnly.FromDayNumber(day)
                : throw new SerializationException("Invalid DATE in a serialized row");
        }

        private long Ticks(long min, long max)
        {
            var ticks = BinaryPrimitives.ReadInt64BigEndian(Take(8));
            return ticks >= min && ticks <= max ? ticks : throw new SerializationException("Invalid time value in a serialized row");
        }

        private Dictionary<object, object?> ReadMap(int depth)
        {
            if (depth > MaxDepth)
            {
                throw new SerializationException($"Serialized row nests deeper than {MaxDepth} levels");
            }

            var count = ReadCount();
            var map = new Dictionary<object, object?>(Math.Min(count, 1024));
            for (var i = 0; i < count; i++)
            {
                var key = ReadValue(depth) ?? throw new SerializationException("Null MAP key in a serialized row");
                map[key] = ReadValue(depth);
            }

            return map;
        }

        // A count never exceeds the bytes left: every element takes at least one byte, so a corrupt count cannot
        // make the reader allocate more than the input's size.
        private int ReadCount()
        {
            uint value = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = Take(1)[0];
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value <= (uint)(_input.Length - _position) ? (int)value : throw new SerializationException("Length in a serialized row exceeds its bytes");
                }
            }

            throw new SerializationException("Malformed length in a serialized row");
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > _input.Length - _position)
            {
                throw new SerializationException("Serialized row ends early");
            }

            var span = _input.Slice(_position, count);
            _position += count;
            return span;
        }
    }
}
