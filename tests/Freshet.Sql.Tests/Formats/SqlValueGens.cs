using CsCheck;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Tests.Formats;

/// <summary>Random SQL types and values of <see cref="Row"/>'s representation, for format round-trip properties.</summary>
internal static class SqlValueGens
{
    /// <summary>Characters that stress quoting and escaping: delimiters, quotes, line breaks, non-ASCII.</summary>
    private static readonly Gen<string> Text = Gen.String[Gen.Char["abcXYZ 019,;\"'\\\n\r\t{}[]:#é漢🙂".Replace("🙂", string.Empty, StringComparison.Ordinal)], 0, 12];

    private static readonly SqlType[] Scalars =
    [
        SqlType.Boolean, SqlType.TinyInt, SqlType.SmallInt, SqlType.Int, SqlType.BigInt, SqlType.Float, SqlType.Double,
        SqlType.Decimal(10, 2), SqlType.Decimal(18, 0), SqlType.Decimal(5, 5), SqlType.String, SqlType.Varchar(20),
        SqlType.Bytes, SqlType.Date, SqlType.Time(3), SqlType.Timestamp(3), SqlType.Timestamp(6), SqlType.TimestampLtz(3),
        SqlType.IntervalDayTime, SqlType.IntervalYearMonth,
    ];

    private static readonly Gen<SqlType> Scalar = Gen.Int[0, Scalars.Length - 1].Select(i => Scalars[i]);

    /// <summary>Any type the json format holds, nested up to <paramref name="depth"/> levels.</summary>
    public static Gen<SqlType> JsonType(int depth) => depth == 0
        ? Scalar
        : Gen.Frequency(
            (6, Scalar),
            (1, JsonType(depth - 1).Select(SqlType.Array)),
            (1, JsonType(depth - 1).Select(v => SqlType.Map(SqlType.String, v))),
            (1, JsonType(depth - 1).Array[1, 3].Select(fields => SqlType.Row(fields.Select((t, i) => new SqlField("f" + i, t))))));

    /// <summary>Any type the csv format holds: scalars and arrays of scalars.</summary>
    public static Gen<SqlType> CsvType { get; } = Gen.Frequency((5, Scalar), (1, Scalar.Select(SqlType.Array)));

    /// <summary>Columns c0, c1, ... of the given types.</summary>
    public static IReadOnlyList<(string Name, SqlType Type)> Columns(SqlType[] types) => types.Select((t, i) => ("c" + i, t)).ToArray();

    /// <summary>A row of values of <paramref name="types"/>, some NULL.</summary>
    /// <param name="csvSafeArrays">Arrays without NULL or empty elements and strings without ';' (what csv can write).</param>
    public static Gen<Row> RowOf(IReadOnlyList<SqlType> types, bool csvSafeArrays = false)
    {
        var gen = Gen.Const(Array.Empty<object?>());
        foreach (var type in types)
        {
            var value = Nullable(Value(type, csvSafeArrays));
            gen = gen.SelectMany(values => value.Select(v => values.Append(v).ToArray()));
        }

        return gen.Select(values => new Row(values));
    }

    private static Gen<object?> Nullable(Gen<object?> value) => Gen.Frequency((1, Gen.Const((object?)null!)), (5, value));

    private static Gen<object?> Value(SqlType type, bool csvSafeArrays) => type.Kind switch
    {
        SqlTypeKind.Boolean => Gen.Bool.Select(v => (object?)v),
        SqlTypeKind.TinyInt => Gen.SByte.Select(v => (object?)v),
        SqlTypeKind.SmallInt => Gen.Short.Select(v => (object?)v),
        SqlTypeKind.Int => Gen.Int.Select(v => (object?)v),
        SqlTypeKind.BigInt => Gen.Long.Select(v => (object?)v),
        SqlTypeKind.Float => Gen.Float.Select(v => (object?)v),
        SqlTypeKind.Double => Gen.Double.Select(v => (object?)v),
        SqlTypeKind.Decimal => Gen.Long[-(Pow10(type.Precision) - 1), Pow10(type.Precision) - 1]
            .Select(unscaled => (object?)(unscaled / (decimal)Pow10(type.Scale))),
        SqlTypeKind.Varchar or SqlTypeKind.Char => csvSafeArrays ? Text.Where(s => s.Length > 0 && !s.Contains(';', StringComparison.Ordinal)).Select(v => (object?)v) : Text.Select(v => (object?)v),
        SqlTypeKind.Bytes => Gen.Byte.Array[csvSafeArrays ? 1 : 0, 16].Select(v => (object?)v),
        SqlTypeKind.Date => Gen.Int[0, 3_652_058].Select(d => (object?)DateOnly.FromDayNumber(d)),
        SqlTypeKind.Time => Gen.Long[0, TimeSpan.TicksPerDay - 1].Select(t => (object?)new TimeOnly(t)),
        SqlTypeKind.Timestamp => Gen.Long[0, DateTime.MaxValue.Ticks].Select(t => (object?)new DateTime(t, DateTimeKind.Unspecified)),
        SqlTypeKind.TimestampLtz => Gen.Long[0, DateTime.MaxValue.Ticks].Select(t => (object?)new DateTimeOffset(t, TimeSpan.Zero)),
        SqlTypeKind.IntervalDayTime => Gen.Long[-1_000_000_000_000, 1_000_000_000_000].Select(ms => (object?)TimeSpan.FromMilliseconds(ms)),
        SqlTypeKind.IntervalYearMonth => Gen.Int[-100_000, 100_000].Select(v => (object?)v),
        SqlTypeKind.Array => csvSafeArrays
            ? Value(type.Element!, true).Array[0, 4].Select(v => (object?)v)
            : Nullable(Value(type.Element!, false)).Array[0, 4].Select(v => (object?)v),
        SqlTypeKind.Map => Gen.Select(Text, Nullable(Value(type.Element!, false))).Array[0, 3]
            .Select(pairs => (object?)pairs.DistinctBy(p => p.Item1).ToDictionary(p => (object)p.Item1, p => p.Item2)),
        SqlTypeKind.Row => RowOf(type.Fields.Select(f => f.Type).ToArray()).Select(r => (object?)r),
        _ => throw new ArgumentException(type.ToString()),
    };

    private static long Pow10(int digits)
    {
        var result = 1L;
        for (var i = 0; i < Math.Min(digits, 18); i++)
        {
            result *= 10;
        }

        return result;
    }
}
