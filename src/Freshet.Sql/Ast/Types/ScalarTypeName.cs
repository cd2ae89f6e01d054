namespace Freshet.Sql.Ast;

/// <summary>
/// The scalar types of Flink SQL. Synonyms are folded when parsed: <c>INTEGER</c> is <see cref="Int"/>,
/// <c>DEC</c> and <c>NUMERIC</c> are <see cref="Decimal"/>, <c>DOUBLE PRECISION</c> is <see cref="Double"/>,
/// <c>TIMESTAMP WITH LOCAL TIME ZONE</c> is <see cref="TimestampLtz"/>, <c>TIMESTAMP WITHOUT TIME ZONE</c> is
/// <see cref="Timestamp"/>.
/// </summary>
public enum ScalarTypeName
{
    /// <summary><c>CHAR(n)</c>.</summary>
    Char,

    /// <summary><c>VARCHAR(n)</c>.</summary>
    Varchar,

    /// <summary><c>STRING</c>: <c>VARCHAR</c> of the maximum length.</summary>
    String,

    /// <summary><c>BOOLEAN</c>.</summary>
    Boolean,

    /// <summary><c>BINARY(n)</c>.</summary>
    Binary,

    /// <summary><c>VARBINARY(n)</c>.</summary>
    Varbinary,

    /// <summary><c>BYTES</c>: <c>VARBINARY</c> of the maximum length.</summary>
    Bytes,

    /// <summary><c>DECIMAL(p, s)</c>.</summary>
    Decimal,

    /// <summary><c>TINYINT</c>, one byte.</summary>
    TinyInt,

    /// <summary><c>SMALLINT</c>, two bytes.</summary>
    SmallInt,

    /// <summary><c>INT</c>, four bytes.</summary>
    Int,

    /// <summary><c>BIGINT</c>, eight bytes.</summary>
    BigInt,

    /// <summary><c>FLOAT</c>, four-byte floating point.</summary>
    Float,

    /// <summary><c>DOUBLE</c>, eight-byte floating point.</summary>
    Double,

    /// <summary><c>DATE</c>.</summary>
    Date,

    /// <summary><c>TIME(p)</c>.</summary>
    Time,

    /// <summary><c>TIMESTAMP(p)</c>, without time zone.</summary>
    Timestamp,

    /// <summary><c>TIMESTAMP_LTZ(p)</c>, with local time zone.</summary>
    TimestampLtz,
}
