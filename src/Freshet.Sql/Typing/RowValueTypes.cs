namespace Freshet.Sql.Typing;

/// <summary>The .NET types of <see cref="Row"/> values (the representation table in Row.cs). Pure; thread-safe.</summary>
internal static class RowValueTypes
{
    /// <summary>The .NET type of <paramref name="type"/>'s values in a <see cref="Row"/>; null for ARRAY, MAP and ROW.</summary>
    public static Type? ClrTypeOf(SqlType type) => type.Kind switch
    {
        SqlTypeKind.Boolean => typeof(bool),
        SqlTypeKind.TinyInt => typeof(sbyte),
        SqlTypeKind.SmallInt => typeof(short),
        SqlTypeKind.Int or SqlTypeKind.IntervalYearMonth => typeof(int),
        SqlTypeKind.BigInt => typeof(long),
        SqlTypeKind.Float => typeof(float),
        SqlTypeKind.Double => typeof(double),
        SqlTypeKind.Decimal => typeof(decimal),
        SqlTypeKind.Char or SqlTypeKind.Varchar => typeof(string),
        SqlTypeKind.Bytes => typeof(byte[]),
        SqlTypeKind.Date => typeof(DateOnly),
        SqlTypeKind.Time => typeof(TimeOnly),
        SqlTypeKind.Timestamp => typeof(DateTime),
        SqlTypeKind.TimestampLtz => typeof(DateTimeOffset),
        SqlTypeKind.IntervalDayTime => typeof(TimeSpan),
        _ => null,
    };
}
