using Freshet.Sql.Runtime;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Tests.Runtime;

/// <summary>Random SQL types (nested up to a depth) and random values of them, including NULLs, from a seeded
/// <see cref="Random"/> so that a failing seed reproduces.</summary>
internal static class RandomSqlValues
{
    private static readonly SqlType[] Scalars =
    [
        SqlType.Boolean, SqlType.TinyInt, SqlType.SmallInt, SqlType.Int, SqlType.BigInt, SqlType.Float, SqlType.Double,
        SqlType.Decimal(10, 2), SqlType.Decimal(38, 6), SqlType.String, SqlType.Char(3), SqlType.Bytes, SqlType.Date, SqlType.Time(3),
        SqlType.Timestamp(3), SqlType.Timestamp(9), SqlType.TimestampLtz(3), SqlType.IntervalDayTime, SqlType.IntervalYearMonth,
    ];

    private static readonly string[] Pieces = ["a", "b", "Z", "é", "€", "😀", " ", "'", "\n"];

    public static SqlType Type(Random random, int depth = 2)
    {
        var pick = random.Next(depth > 0 ? 12 : 9);
        return pick switch
        {
            9 => SqlType.Array(Type(random, depth - 1)),
            10 => SqlType.Map(Scalars[random.Next(Scalars.Length)] is var key && key.Kind is SqlTypeKind.Float or SqlTypeKind.Double ? SqlType.Int : key, Type(random, depth - 1)),
            11 => SqlType.Row(Enumerable.Range(0, random.Next(0, 4)).Select(i => new SqlField($"f{i}", Type(random, depth - 1)))),
            _ => Scalars[random.Next(Scalars.Length)],
        };
    }

    public static object? Value(Random random, SqlType type, double nullChance = 0.15)
    {
        if (random.NextDouble() < nullChance)
        {
            return null;
        }

        return NonNull(random, type);
    }

    public static object NonNull(Random random, SqlType type) => type.Kind switch
    {
        SqlTypeKind.Boolean => random.Next(2) == 1,
        SqlTypeKind.TinyInt => (sbyte)random.Next(sbyte.MinValue, sbyte.MaxValue + 1),
        SqlTypeKind.SmallInt => (short)random.Next(short.MinValue, short.MaxValue + 1),
        SqlTypeKind.Int => random.Next(4) == 0 ? int.MinValue + random.Next(3) : random.Next(-1000, 1000),
        SqlTypeKind.BigInt => random.Next(4) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : random.NextInt64(-1000, 1000),
        SqlTypeKind.Float => (float)((random.NextDouble() - 0.5) * 1e6),
        SqlTypeKind.Double => random.Next(10) == 0 ? double.NaN : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 20)),
        SqlTypeKind.Decimal => SqlValues.WithScale((decimal)((random.NextDouble() - 0.5) * 1e6), type.Scale),
        SqlTypeKind.Char or SqlTypeKind.Varchar => string.Concat(Enumerable.Range(0, random.Next(0, 6)).Select(_ => Pieces[random.Next(Pieces.Length)])),
        SqlTypeKind.Bytes => Enumerable.Range(0, random.Next(0, 5)).Select(_ => (byte)random.Next(256)).ToArray(),
        SqlTypeKind.Date => DateOnly.FromDayNumber(random.Next(0, 3_000_000)),
        SqlTypeKind.Time => new TimeOnly(random.NextInt64(0, TimeSpan.TicksPerDay)),
        SqlTypeKind.Timestamp => new DateTime(random.NextInt64(0, DateTime.MaxValue.Ticks)),
        SqlTypeKind.TimestampLtz => new DateTimeOffset(random.NextInt64(0, DateTime.MaxValue.Ticks), TimeSpan.Zero),
        SqlTypeKind.IntervalDayTime => TimeSpan.FromTicks(random.NextInt64(-TimeSpan.TicksPerDay * 1000, TimeSpan.TicksPerDay * 1000)),
        SqlTypeKind.IntervalYearMonth => random.Next(-1000, 1000),
        SqlTypeKind.Array => Enumerable.Range(0, random.Next(0, 4)).Select(_ => Value(random, type.Element!)).ToArray(),
        SqlTypeKind.Map => Map(random, type),
        SqlTypeKind.Row => new Row(type.Fields.Select(f => Value(random, f.Type)).ToArray()),
        _ => throw new ArgumentException(type.ToString()),
    };

    private static Dictionary<object, object?> Map(Random random, SqlType type)
    {
        var map = new Dictionary<object, object?>(SqlValues.EqualityComparer);
        for (var i = random.Next(0, 4); i > 0; i--)
        {
            map[NonNull(random, type.Key!)] = Value(random, type.Element!);
        }

        return map;
    }
}
