namespace Freshet.Sql.Typing;

/// <summary>The closed set of SQL type kinds the binder knows; <see cref="SqlType"/> adds their parameters.</summary>
public enum SqlTypeKind
{
    /// <summary>The type of the literal <c>NULL</c> before it meets a context; assignable to every type.</summary>
    Null,
    /// <summary><c>BOOLEAN</c>.</summary>
    Boolean,
    /// <summary><c>TINYINT</c>, 8-bit signed.</summary>
    TinyInt,
    /// <summary><c>SMALLINT</c>, 16-bit signed.</summary>
    SmallInt,
    /// <summary><c>INT</c>, 32-bit signed.</summary>
    Int,
    /// <summary><c>BIGINT</c>, 64-bit signed.</summary>
    BigInt,
    /// <summary><c>DECIMAL(p, s)</c>, exact, precision 1..38.</summary>
    Decimal,
    /// <summary><c>FLOAT</c>, 32-bit binary floating point.</summary>
    Float,
    /// <summary><c>DOUBLE</c>, 64-bit binary floating point.</summary>
    Double,
    /// <summary><c>CHAR(n)</c>, fixed length.</summary>
    Char,
    /// <summary><c>VARCHAR(n)</c>; <c>STRING</c> is <c>VARCHAR</c> of the maximum length.</summary>
    Varchar,
    /// <summary><c>BYTES</c> (and <c>BINARY</c>/<c>VARBINARY</c>, which the binder does not distinguish).</summary>
    Bytes,
    /// <summary><c>DATE</c>.</summary>
    Date,
    /// <summary><c>TIME(p)</c>.</summary>
    Time,
    /// <summary><c>TIMESTAMP(p)</c>, without time zone.</summary>
    Timestamp,
    /// <summary><c>TIMESTAMP_LTZ(p)</c>, an instant shown in the session time zone.</summary>
    TimestampLtz,
    /// <summary><c>INTERVAL DAY TO SECOND</c>: a duration in milliseconds.</summary>
    IntervalDayTime,
    /// <summary><c>INTERVAL YEAR TO MONTH</c>: a duration in months.</summary>
    IntervalYearMonth,
    /// <summary><c>ARRAY&lt;t&gt;</c>.</summary>
    Array,
    /// <summary><c>MAP&lt;k, v&gt;</c>.</summary>
    Map,
    /// <summary><c>ROW&lt;name t, ...&gt;</c>.</summary>
    Row,
}
