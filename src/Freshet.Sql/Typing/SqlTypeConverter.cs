using Freshet.Sql.Ast;

namespace Freshet.Sql.Typing;

/// <summary>
/// Turns a parsed data type (<see cref="SqlDataType"/>) into a <see cref="SqlType"/>, with Flink's defaults for
/// missing parameters (VARCHAR → STRING, DECIMAL → DECIMAL(10, 0), TIME → TIME(0), TIMESTAMP → TIMESTAMP(6)) and
/// range checks that throw <see cref="SqlValidationException"/> at the type's position. Pure; thread-safe.
/// </summary>
internal static class SqlTypeConverter
{
    public static SqlType Convert(SqlDataType type)
    {
        var converted = type switch
        {
            ScalarType scalar => Scalar(scalar),
            ArrayType array => SqlType.Array(Convert(array.Element)),
            MapType map => SqlType.Map(Convert(map.Key), Convert(map.Value)),
            RowType row => Row(row),
            MultisetType => throw new SqlValidationException("MULTISET types are not supported", type.Span),
            _ => throw new SqlValidationException($"Type '{type.GetType().Name}' is not supported", type.Span),
        };
        return converted.WithNullable(!type.NotNull);
    }

    private static SqlType Row(RowType row)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var fields = new List<SqlField>();
        foreach (var field in row.Fields)
        {
            if (!names.Add(field.Name.Value))
            {
                throw new SqlValidationException($"Duplicate field '{field.Name.Value}' in ROW type", field.Name.Span);
            }

            fields.Add(new SqlField(field.Name.Value, Convert(field.Type)));
        }

        return SqlType.Row(fields);
    }

    private static SqlType Scalar(ScalarType scalar)
    {
        switch (scalar.Name)
        {
            case ScalarTypeName.Char:
                return SqlType.Char(Length(scalar, 1));
            case ScalarTypeName.Varchar:
                return scalar.Precision is null ? SqlType.String : SqlType.Varchar(Length(scalar, 1));
            case ScalarTypeName.String:
                return SqlType.String;
            case ScalarTypeName.Boolean:
                return SqlType.Boolean;
            case ScalarTypeName.Binary or ScalarTypeName.Varbinary or ScalarTypeName.Bytes:
                return SqlType.Bytes;
            case ScalarTypeName.Decimal:
                {
                    var precision = scalar.Precision ?? 10;
                    var scale = scalar.Scale ?? 0;
                    if (precision is < 1 or > SqlType.MaxDecimalPrecision)
                    {
                        throw new SqlValidationException($"DECIMAL precision must be between 1 and 38, but is {precision}", scalar.Span);
                    }

                    if (scale < 0 || scale > precision)
                    {
                        throw new SqlValidationException($"DECIMAL scale must be between 0 and the precision {precision}, but is {scale}", scalar.Span);
                    }

                    return SqlType.Decimal(precision, scale);
                }

            case ScalarTypeName.TinyInt:
                return SqlType.TinyInt;
            case ScalarTypeName.SmallInt:
                return SqlType.SmallInt;
            case ScalarTypeName.Int:
                return SqlType.Int;
            case ScalarTypeName.BigInt:
                return SqlType.BigInt;
            case ScalarTypeName.Float:
                return SqlType.Float;
            case ScalarTypeName.Double:
                return SqlType.Double;
            case ScalarTypeName.Date:
                return SqlType.Date;
            case ScalarTypeName.Time:
                return SqlType.Time(FractionalDigits(scalar, 0));
            case ScalarTypeName.Timestamp:
                return SqlType.Timestamp(FractionalDigits(scalar, 6));
            case ScalarTypeName.TimestampLtz:
                return SqlType.TimestampLtz(FractionalDigits(scalar, 6));
            default:
                throw new SqlValidationException($"Type {scalar.Name} is not supported", scalar.Span);
        }
    }

    private static int Length(ScalarType scalar, int defaultLength)
    {
        var length = scalar.Precision ?? defaultLength;
        if (length < 1)
        {
            throw new SqlValidationException($"Length of {scalar.Name.ToString().ToUpperInvariant()} must be at least 1, but is {length}", scalar.Span);
        }

        return length;
    }

    private static int FractionalDigits(ScalarType scalar, int defaultDigits)
    {
        var digits = scalar.Precision ?? defaultDigits;
        if (digits is < 0 or > 9)
        {
            throw new SqlValidationException($"Fractional-second precision must be between 0 and 9, but is {digits}", scalar.Span);
        }

        return digits;
    }
}
