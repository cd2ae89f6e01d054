using System.Globalization;
using System.Text;
using Freshet.Sql.Ast;

namespace Freshet.Sql.Typing;

/// <summary>
/// A bound SQL type: a <see cref="SqlTypeKind"/> with its parameters (length, precision, scale, element, key and
/// value, fields), its nullability and its time-attribute mark. Immutable; equal types compare equal.
/// </summary>
/// <remarks>
/// <see cref="Precision"/> is the length of CHAR/VARCHAR, the precision of DECIMAL and the fractional-second digits
/// of TIME, TIMESTAMP and TIMESTAMP_LTZ; it is 0 for the other kinds. <see cref="ToString"/> prints the type the way
/// DESCRIBE shows it: <c>BIGINT NOT NULL</c>, <c>STRING</c>, <c>TIMESTAMP(3) *ROWTIME*</c>.
/// </remarks>
public sealed record SqlType
{
    /// <summary>Largest DECIMAL precision.</summary>
    public const int MaxDecimalPrecision = 38;

    /// <summary>Length of <c>STRING</c>, the unbounded VARCHAR.</summary>
    public const int MaxLength = int.MaxValue;

    private SqlType(SqlTypeKind kind, int precision = 0, int scale = 0)
    {
        Kind = kind;
        Precision = precision;
        Scale = scale;
    }

    /// <summary>The kind of type.</summary>
    public SqlTypeKind Kind { get; }

    /// <summary>Length, precision or fractional-second digits; see the remarks on <see cref="SqlType"/>.</summary>
    public int Precision { get; }

    /// <summary>Digits after the point of a DECIMAL; 0 for other kinds.</summary>
    public int Scale { get; }

    /// <summary>Whether the value may be NULL; types are nullable unless declared NOT NULL.</summary>
    public bool Nullable { get; init; } = true;

    /// <summary>Element of an ARRAY, value of a MAP; null for other kinds.</summary>
    public SqlType? Element { get; private init; }

    /// <summary>Key of a MAP; null for other kinds.</summary>
    public SqlType? Key { get; private init; }

    /// <summary>Fields of a ROW; empty for other kinds.</summary>
    public NodeList<SqlField> Fields { get; private init; } = new([]);

    /// <summary>Whether this timestamp is a rowtime or proctime attribute.</summary>
    public TimeAttributeKind TimeAttribute { get; init; }

    /// <summary>The type of an untyped NULL literal.</summary>
    public static SqlType Null { get; } = new(SqlTypeKind.Null);

    /// <summary><c>BOOLEAN</c>.</summary>
    public static SqlType Boolean { get; } = new(SqlTypeKind.Boolean);

    /// <summary><c>TINYINT</c>.</summary>
    public static SqlType TinyInt { get; } = new(SqlTypeKind.TinyInt);

    /// <summary><c>SMALLINT</c>.</summary>
    public static SqlType SmallInt { get; } = new(SqlTypeKind.SmallInt);

    /// <summary><c>INT</c>.</summary>
    public static SqlType Int { get; } = new(SqlTypeKind.Int);

    /// <summary><c>BIGINT</c>.</summary>
    public static SqlType BigInt { get; } = new(SqlTypeKind.BigInt);

    /// <summary><c>FLOAT</c>.</summary>
    public static SqlType Float { get; } = new(SqlTypeKind.Float);

    /// <summary><c>DOUBLE</c>.</summary>
    public static SqlType Double { get; } = new(SqlTypeKind.Double);

    /// <summary><c>STRING</c>, the VARCHAR of maximum length.</summary>
    public static SqlType String { get; } = new(SqlTypeKind.Varchar, MaxLength);

    /// <summary><c>BYTES</c>.</summary>
    public static SqlType Bytes { get; } = new(SqlTypeKind.Bytes);

    /// <summary><c>DATE</c>.</summary>
    public static SqlType Date { get; } = new(SqlTypeKind.Date);

    /// <summary><c>INTERVAL DAY TO SECOND(3)</c>.</summary>
    public static SqlType IntervalDayTime { get; } = new(SqlTypeKind.IntervalDayTime);

    /// <summary><c>INTERVAL YEAR TO MONTH</c>.</summary>
    public static SqlType IntervalYearMonth { get; } = new(SqlTypeKind.IntervalYearMonth);

    /// <summary><c>DECIMAL(precision, scale)</c>; precision 1..38, scale 0..precision.</summary>
    /// <param name="precision">Total digits.</param>
    /// <param name="scale">Digits after the point.</param>
    /// <returns>The type.</returns>
    public static SqlType Decimal(int precision, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(precision, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(precision, MaxDecimalPrecision);
        ArgumentOutOfRangeException.ThrowIfNegative(scale);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, precision);
        return new(SqlTypeKind.Decimal, precision, scale);
    }

    /// <summary><c>CHAR(length)</c>.</summary>
    /// <param name="length">Length in characters, at least 1.</param>
    /// <returns>The type.</returns>
    public static SqlType Char(int length) => new(SqlTypeKind.Char, Math.Max(1, length));

    /// <summary><c>VARCHAR(length)</c>.</summary>
    /// <param name="length">Maximum length in characters, at least 1.</param>
    /// <returns>The type.</returns>
    public static SqlType Varchar(int length) => new(SqlTypeKind.Varchar, Math.Max(1, length));

    /// <summary><c>TIME(precision)</c>.</summary>
    /// <param name="precision">Fractional-second digits, 0..9.</param>
    /// <returns>The type.</returns>
    public static SqlType Time(int precision = 0) => new(SqlTypeKind.Time, Math.Clamp(precision, 0, 9));

    /// <summary><c>TIMESTAMP(precision)</c>.</summary>
    /// <param name="precision">Fractional-second digits, 0..9.</param>
    /// <returns>The type.</returns>
    public static SqlType Timestamp(int precision = 6) => new(SqlTypeKind.Timestamp, Math.Clamp(precision, 0, 9));

    /// <summary><c>TIMESTAMP_LTZ(precision)</c>.</summary>
    /// <param name="precision">Fractional-second digits, 0..9.</param>
    /// <returns>The type.</returns>
    public static SqlType TimestampLtz(int precision = 6) => new(SqlTypeKind.TimestampLtz, Math.Clamp(precision, 0, 9));

    /// <summary><c>ARRAY&lt;element&gt;</c>.</summary>
    /// <param name="element">The element type.</param>
    /// <returns>The type.</returns>
    public static SqlType Array(SqlType element) => new(SqlTypeKind.Array) { Element = element };

    /// <summary><c>MAP&lt;key, value&gt;</c>.</summary>
    /// <param name="key">The key type.</param>
    /// <param name="value">The value type.</param>
    /// <returns>The type.</returns>
    public static SqlType Map(SqlType key, SqlType value) => new(SqlTypeKind.Map) { Key = key, Element = value };

    /// <summary><c>ROW&lt;...&gt;</c>.</summary>
    /// <param name="fields">The fields in order.</param>
    /// <returns>The type.</returns>
    public static SqlType Row(IEnumerable<SqlField> fields) => new(SqlTypeKind.Row) { Fields = new(fields) };

    /// <summary>This type with <see cref="Nullable"/> set to <paramref name="nullable"/>.</summary>
    /// <param name="nullable">Whether NULL is allowed.</param>
    /// <returns>The type.</returns>
    public SqlType WithNullable(bool nullable) => Nullable == nullable ? this : this with { Nullable = nullable };

    /// <summary>This type without a time-attribute mark, as arithmetic, joins and aggregations produce it.</summary>
    /// <returns>The type.</returns>
    public SqlType WithoutTimeAttribute() =>
        TimeAttribute == TimeAttributeKind.None ? this : this with { TimeAttribute = TimeAttributeKind.None };

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder(TypeName());
        if (!Nullable && Kind != SqlTypeKind.Null)
        {
            text.Append(" NOT NULL");
        }

        if (TimeAttribute != TimeAttributeKind.None)
        {
            text.Append(TimeAttribute == TimeAttributeKind.Rowtime ? " *ROWTIME*" : " *PROCTIME*");
        }

        return text.ToString();
    }

    private string TypeName()
    {
        var culture = CultureInfo.InvariantCulture;
        return Kind switch
        {
            SqlTypeKind.Null => "NULL",
            SqlTypeKind.Boolean => "BOOLEAN",
            SqlTypeKind.TinyInt => "TINYINT",
            SqlTypeKind.SmallInt => "SMALLINT",
            SqlTypeKind.Int => "INT",
            SqlTypeKind.BigInt => "BIGINT",
            SqlTypeKind.Decimal => string.Create(culture, $"DECIMAL({Precision}, {Scale})"),
            SqlTypeKind.Float => "FLOAT",
            SqlTypeKind.Double => "DOUBLE",
            SqlTypeKind.Char => string.Create(culture, $"CHAR({Precision})"),
            SqlTypeKind.Varchar => Precision == MaxLength ? "STRING" : string.Create(culture, $"VARCHAR({Precision})"),
            SqlTypeKind.Bytes => "BYTES",
            SqlTypeKind.Date => "DATE",
            SqlTypeKind.Time => string.Create(culture, $"TIME({Precision})"),
            SqlTypeKind.Timestamp => string.Create(culture, $"TIMESTAMP({Precision})"),
            SqlTypeKind.TimestampLtz => string.Create(culture, $"TIMESTAMP_LTZ({Precision})"),
            SqlTypeKind.IntervalDayTime => "INTERVAL DAY TO SECOND(3)",
            SqlTypeKind.IntervalYearMonth => "INTERVAL YEAR TO MONTH",
            SqlTypeKind.Array => $"ARRAY<{Element}>",
            SqlTypeKind.Map => $"MAP<{Key}, {Element}>",
            SqlTypeKind.Row => "ROW<" + string.Join(", ", Fields) + ">",
            _ => Kind.ToString().ToUpperInvariant(),
        };
    }
}
