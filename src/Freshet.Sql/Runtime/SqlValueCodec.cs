using System.Runtime.Serialization;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Runtime;

/// <summary>
/// The binary form of non-null values of one SQL type (see <see cref="RowSerializers"/> for the layout), built once
/// per type. Stateless; thread-safe.
/// </summary>
internal abstract class SqlValueCodec
{
    public abstract void Write(SqlBinaryWriter writer, object value);

    public abstract object Read(ref SqlBinaryReader reader);

    public static SqlValueCodec For(SqlType type) => type.Kind switch
    {
        SqlTypeKind.Boolean => new Scalar(static (w, v) => w.WriteByte((bool)v ? (byte)1 : (byte)0), static (ref SqlBinaryReader r) => r.ReadByte() switch
        {
            0 => false,
            1 => true,
            var b => throw new SerializationException($"Cannot deserialize a BOOLEAN: byte {b}."),
        }),
        SqlTypeKind.TinyInt => new Scalar(static (w, v) => w.WriteByte(unchecked((byte)(sbyte)v)), static (ref SqlBinaryReader r) => unchecked((sbyte)r.ReadByte())),
        SqlTypeKind.SmallInt => new Scalar(static (w, v) => w.WriteVarLong((short)v), static (ref SqlBinaryReader r) => checked((short)r.ReadVarLong())),
        SqlTypeKind.Int => new Scalar(static (w, v) => w.WriteVarLong((int)v), static (ref SqlBinaryReader r) => r.ReadVarInt()),
        SqlTypeKind.BigInt => new Scalar(static (w, v) => w.WriteVarLong((long)v), static (ref SqlBinaryReader r) => r.ReadVarLong()),
        SqlTypeKind.Float => new Scalar(static (w, v) => w.WriteSingle((float)v), static (ref SqlBinaryReader r) => r.ReadSingle()),
        SqlTypeKind.Double => new Scalar(static (w, v) => w.WriteDouble((double)v), static (ref SqlBinaryReader r) => r.ReadDouble()),
        SqlTypeKind.Decimal => new Scalar(static (w, v) => w.WriteDecimal((decimal)v), static (ref SqlBinaryReader r) => r.ReadDecimal()),
        SqlTypeKind.Char or SqlTypeKind.Varchar => new Scalar(static (w, v) => w.WriteString((string)v), static (ref SqlBinaryReader r) => r.ReadString()),
        SqlTypeKind.Bytes => new Scalar(static (w, v) => w.WriteBytes((byte[])v), static (ref SqlBinaryReader r) => r.ReadBytes()),
        SqlTypeKind.Date => new Scalar(static (w, v) => w.WriteVarLong(((DateOnly)v).DayNumber), static (ref SqlBinaryReader r) => Checked(r.ReadVarLong(), static n => DateOnly.FromDayNumber(checked((int)n)))),
        SqlTypeKind.Time => new Scalar(static (w, v) => w.WriteVarLong(((TimeOnly)v).Ticks), static (ref SqlBinaryReader r) => Checked(r.ReadVarLong(), static n => new TimeOnly(n))),
        SqlTypeKind.Timestamp => new Scalar(static (w, v) => w.WriteVarLong(((DateTime)v).Ticks), static (ref SqlBinaryReader r) => Checked(r.ReadVarLong(), static n => new DateTime(n, DateTimeKind.Unspecified))),
        SqlTypeKind.TimestampLtz => new Scalar(static (w, v) => w.WriteVarLong(((DateTimeOffset)v).UtcTicks), static (ref SqlBinaryReader r) => Checked(r.ReadVarLong(), static n => new DateTimeOffset(n, TimeSpan.Zero))),
        SqlTypeKind.IntervalDayTime => new Scalar(static (w, v) => w.WriteVarLong(((TimeSpan)v).Ticks), static (ref SqlBinaryReader r) => TimeSpan.FromTicks(r.ReadVarLong())),
        SqlTypeKind.IntervalYearMonth => new Scalar(static (w, v) => w.WriteVarLong((int)v), static (ref SqlBinaryReader r) => r.ReadVarInt()),
        SqlTypeKind.Array => new ArrayCodec(For(type.Element!)),
        SqlTypeKind.Map => new MapCodec(For(type.Key!), For(type.Element!)),
        SqlTypeKind.Row => new RowCodec(type.Fields.Select(f => For(f.Type)).ToArray()),
        _ => new NullCodec(),
    };

    /// <summary>Writes values that may be NULL: a bitmap of the NULL positions (bit i%8 of byte i/8), then each non-null
    /// value with the codec of its position; a single codec serves every position (array elements, map values).</summary>
    public static void WriteValues(SqlBinaryWriter writer, ReadOnlySpan<object?> values, SqlValueCodec[] codecs)
    {
        for (var start = 0; start < values.Length; start += 8)
        {
            byte bits = 0;
            for (var i = start; i < Math.Min(start + 8, values.Length); i++)
            {
                if (values[i] is null)
                {
                    bits |= (byte)(1 << (i - start));
                }
            }

            writer.WriteByte(bits);
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } value)
            {
                codecs[Math.Min(i, codecs.Length - 1)].Write(writer, value);
            }
        }
    }

    /// <summary>Reads <paramref name="count"/> values written by <see cref="WriteValues"/>.</summary>
    public static object?[] ReadValues(ref SqlBinaryReader reader, int count, SqlValueCodec[] codecs)
    {
        var values = new object?[count];
        Span<byte> nulls = count <= 256 ? stackalloc byte[(count + 7) / 8] : new byte[(count + 7) / 8];
        for (var i = 0; i < nulls.Length; i++)
        {
            nulls[i] = reader.ReadByte();
        }

        for (var i = 0; i < count; i++)
        {
            if ((nulls[i / 8] & (1 << (i % 8))) == 0)
            {
                values[i] = codecs[Math.Min(i, codecs.Length - 1)].Read(ref reader);
            }
        }

        return values;
    }

    private static object Checked(long raw, Func<long, object> make)
    {
        try
        {
            return make(raw);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw new SerializationException($"Cannot deserialize a date or time from {raw}.", e);
        }
    }

    private delegate object Reader(ref SqlBinaryReader reader);

    private sealed class Scalar(Action<SqlBinaryWriter, object> write, Reader read) : SqlValueCodec
    {
        public override void Write(SqlBinaryWriter writer, object value) => write(writer, value);

        public override object Read(ref SqlBinaryReader reader) => read(ref reader);
    }

    private sealed class NullCodec : SqlValueCodec
    {
        public override void Write(SqlBinaryWriter writer, object value) =>
            throw new ArgumentException("A value of type NULL must be null", nameof(value));

        public override object Read(ref SqlBinaryReader reader) => throw new SerializationException("A value of type NULL is never written.");
    }

    private sealed class ArrayCodec(SqlValueCodec element) : SqlValueCodec
    {
        private readonly SqlValueCodec[] _codecs = [element];

        public override void Write(SqlBinaryWriter writer, object value)
        {
            var array = (object?[])value;
            writer.WriteVarULong((ulong)array.Length);
            WriteValues(writer, array, _codecs);
        }

        public override object Read(ref SqlBinaryReader reader) => ReadValues(ref reader, reader.Count(), _codecs);
    }

    private sealed class MapCodec(SqlValueCodec key, SqlValueCodec value) : SqlValueCodec
    {
        private readonly SqlValueCodec[] _values = [value];

        public override void Write(SqlBinaryWriter writer, object map)
        {
            var entries = (Dictionary<object, object?>)map;
            writer.WriteVarULong((ulong)entries.Count);
            var values = new object?[entries.Count];
            var i = 0;
            foreach (var (k, v) in entries)
            {
                key.Write(writer, k);
                values[i++] = v;
            }

            WriteValues(writer, values, _values);
        }

        public override object Read(ref SqlBinaryReader reader)
        {
            var count = reader.Count();
            var keys = new object[count];
            for (var i = 0; i < count; i++)
            {
                keys[i] = key.Read(ref reader);
            }

            var values = ReadValues(ref reader, count, _values);
            var map = new Dictionary<object, object?>(count, SqlValues.EqualityComparer);
            for (var i = 0; i < count; i++)
            {
                map[keys[i]] = values[i];
            }

            return map;
        }
    }

    private sealed class RowCodec(SqlValueCodec[] fields) : SqlValueCodec
    {
        public override void Write(SqlBinaryWriter writer, object value)
        {
            var row = (Row)value;
            if (row.Arity != fields.Length)
            {
                throw new ArgumentException($"A ROW of {fields.Length} fields cannot hold {row.Arity} values", nameof(value));
            }

            WriteValues(writer, row.Values, fields);
        }

        public override object Read(ref SqlBinaryReader reader) => new Row(ReadValues(ref reader, fields.Length, fields));
    }
}
