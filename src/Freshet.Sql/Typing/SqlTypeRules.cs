using Freshet.Sql.Ast;

namespace Freshet.Sql.Typing;

/// <summary>
/// Flink's implicit type rules, simplified: numeric promotion for arithmetic and comparison, the common type of
/// CASE/COALESCE/UNION branches, what CAST accepts and what an INSERT may assign without an explicit cast. Pure
/// functions; thread-safe. A rule that does not apply returns null and the caller reports the error with a position.
/// </summary>
/// <remarks>
/// Numeric order: TINYINT &lt; SMALLINT &lt; INT &lt; BIGINT &lt; DECIMAL &lt; FLOAT &lt; DOUBLE. Two exact integers give the
/// wider integer; any DOUBLE gives DOUBLE, else any FLOAT gives FLOAT; otherwise the operands are DECIMAL, integers
/// taking DECIMAL(3,0), (5,0), (10,0), (19,0). DECIMAL results: <c>+ -</c> scale max(s1,s2), precision
/// max(p1-s1,p2-s2)+scale+1; <c>*</c> precision p1+p2, scale s1+s2; <c>/</c> scale max(6,s1+p2+1), precision
/// p1-s1+s2+scale; <c>%</c> scale max(s1,s2), precision min(p1-s1,p2-s2)+scale. A precision above 38 is cut to 38 and
/// the scale lowered by the same amount, but not below min(scale, 6). The result is nullable if an operand is.
/// </remarks>
internal static class SqlTypeRules
{
    public static bool IsNumeric(SqlType t) => t.Kind is >= SqlTypeKind.TinyInt and <= SqlTypeKind.Double;

    public static bool IsExactInteger(SqlType t) => t.Kind is >= SqlTypeKind.TinyInt and <= SqlTypeKind.BigInt;

    public static bool IsCharacter(SqlType t) => t.Kind is SqlTypeKind.Char or SqlTypeKind.Varchar;

    public static bool IsTimestamp(SqlType t) => t.Kind is SqlTypeKind.Timestamp or SqlTypeKind.TimestampLtz;

    public static bool IsInterval(SqlType t) => t.Kind is SqlTypeKind.IntervalDayTime or SqlTypeKind.IntervalYearMonth;

    public static bool IsDatetime(SqlType t) => t.Kind is SqlTypeKind.Date or SqlTypeKind.Time || IsTimestamp(t);

    /// <summary>The result of an arithmetic or string operator, or null when the operands do not fit it.</summary>
    public static SqlType? Binary(BinaryOperator op, SqlType left, SqlType right)
    {
        var nullable = left.Nullable || right.Nullable;
        if (left.Kind == SqlTypeKind.Null && right.Kind == SqlTypeKind.Null)
        {
            return null;
        }

        // An untyped NULL takes the other operand's type, as Flink's type coercion does.
        if (left.Kind == SqlTypeKind.Null)
        {
            left = right;
        }
        else if (right.Kind == SqlTypeKind.Null)
        {
            right = left;
        }

        SqlType? result = op switch
        {
            BinaryOperator.Concat => IsCharacter(left) && IsCharacter(right) ? Concatenation(left, right) : null,
            BinaryOperator.Add or BinaryOperator.Subtract => Additive(op, left, right),
            BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Modulo =>
                IsNumeric(left) && IsNumeric(right) ? NumericResult(op, left, right)
                : op == BinaryOperator.Multiply && IsInterval(left) && IsExactInteger(right) ? left.WithoutTimeAttribute()
                : op == BinaryOperator.Multiply && IsExactInteger(left) && IsInterval(right) ? right.WithoutTimeAttribute()
                : null,
            _ => null,
        };
        return result?.WithNullable(nullable);
    }

    /// <summary>Whether two types can be compared with =, &lt;, BETWEEN, IN and the like.</summary>
    public static bool Comparable(SqlType left, SqlType right) =>
        left.Kind == SqlTypeKind.Null || right.Kind == SqlTypeKind.Null || CommonType(left, right) is not null;

    /// <summary>
    /// The least restrictive type both values convert to without loss (CASE branches, COALESCE, UNION ALL columns,
    /// IN lists), or null when there is none. Time attributes are dropped.
    /// </summary>
    public static SqlType? CommonType(SqlType left, SqlType right)
    {
        var nullable = left.Nullable || right.Nullable;
        if (left.Kind == SqlTypeKind.Null)
        {
            return right.WithoutTimeAttribute().WithNullable(true);
        }

        if (right.Kind == SqlTypeKind.Null)
        {
            return left.WithoutTimeAttribute().WithNullable(true);
        }

        SqlType? common = null;
        if (IsNumeric(left) && IsNumeric(right))
        {
            common = Promote(left, right);
        }
        else if (IsCharacter(left) && IsCharacter(right))
        {
            common = left.Kind == SqlTypeKind.Char && right.Kind == SqlTypeKind.Char && left.Precision == right.Precision
                ? left
                : SqlType.Varchar(Math.Max(left.Precision, right.Precision));
        }
        else if (IsTimestamp(left) && IsTimestamp(right))
        {
            var precision = Math.Max(left.Precision, right.Precision);
            common = left.Kind == right.Kind && left.Kind == SqlTypeKind.TimestampLtz
                ? SqlType.TimestampLtz(precision)
                : SqlType.Timestamp(precision);
        }
        else if ((left.Kind == SqlTypeKind.Date && IsTimestamp(right)) || (IsTimestamp(left) && right.Kind == SqlTypeKind.Date))
        {
            common = IsTimestamp(left) ? SqlType.Timestamp(left.Precision) : SqlType.Timestamp(right.Precision);
        }
        else if (left.Kind == SqlTypeKind.Time && right.Kind == SqlTypeKind.Time)
        {
            common = SqlType.Time(Math.Max(left.Precision, right.Precision));
        }
        else if (left.Kind == right.Kind && left.Kind is SqlTypeKind.Array)
        {
            common = CommonType(left.Element!, right.Element!) is { } element ? SqlType.Array(element) : null;
        }
        else if (left.Kind == right.Kind && left.Kind is SqlTypeKind.Map)
        {
            common = CommonType(left.Key!, right.Key!) is { } key && CommonType(left.Element!, right.Element!) is { } value
                ? SqlType.Map(key, value)
                : null;
        }
        else if (left.Kind == right.Kind && left.Kind is SqlTypeKind.Row)
        {
            common = left.WithNullable(true) == right.WithNullable(true) ? left : null;
        }
        else if (left.Kind == right.Kind)
        {
            common = left;
        }

        return common?.WithoutTimeAttribute().WithNullable(nullable);
    }

    /// <summary>Whether <c>CAST(value AS target)</c> is allowed (TRY_CAST has the same rule; it only turns failures into NULL).</summary>
    public static bool Castable(SqlType source, SqlType target)
    {
        if (source.Kind == SqlTypeKind.Null || source.Kind == target.Kind)
        {
            return source.Kind switch
            {
                SqlTypeKind.Array => Castable(source.Element!, target.Element!),
                SqlTypeKind.Map => Castable(source.Key!, target.Key!) && Castable(source.Element!, target.Element!),
                SqlTypeKind.Row => source.Fields.Count == target.Fields.Count
                    && source.Fields.Zip(target.Fields).All(pair => Castable(pair.First.Type, pair.Second.Type)),
                _ => true,
            };
        }

        if (IsCharacter(source) || IsCharacter(target))
        {
            var other = IsCharacter(source) ? target : source;
            return other.Kind is not (SqlTypeKind.Array or SqlTypeKind.Map or SqlTypeKind.Row);
        }

        if (IsNumeric(source) && IsNumeric(target))
        {
            return true;
        }

        if ((source.Kind == SqlTypeKind.Boolean && IsNumeric(target)) || (IsNumeric(source) && target.Kind == SqlTypeKind.Boolean))
        {
            return true;
        }

        if (IsDatetime(source) && IsDatetime(target))
        {
            // DATE and TIME do not convert into each other; everything else among dates and timestamps does.
            return !(source.Kind is SqlTypeKind.Date or SqlTypeKind.Time && target.Kind is SqlTypeKind.Date or SqlTypeKind.Time);
        }

        if (IsInterval(source) && IsExactInteger(target))
        {
            return true;
        }

        return false;
    }

    /// <summary>
    /// Whether a value of <paramref name="source"/> may be written to a column of <paramref name="target"/> with an
    /// implicit cast: same kind; a numeric to a wider numeric (integers to DECIMAL, anything to DOUBLE, and DECIMAL to
    /// DECIMAL of any precision); character to character; timestamp to timestamp of the same kind; NULL to anything.
    /// Nullability is not checked here: a NULL written to a NOT NULL column is a run-time error, as in Flink.
    /// </summary>
    public static bool Assignable(SqlType source, SqlType target)
    {
        if (source.Kind == SqlTypeKind.Null)
        {
            return true;
        }

        if (IsNumeric(source) && IsNumeric(target))
        {
            return source.Kind <= target.Kind;
        }

        if (IsCharacter(source) && IsCharacter(target))
        {
            return true;
        }

        return source.Kind switch
        {
            _ when source.Kind != target.Kind => false,
            SqlTypeKind.Array => Assignable(source.Element!, target.Element!),
            SqlTypeKind.Map => Assignable(source.Key!, target.Key!) && Assignable(source.Element!, target.Element!),
            SqlTypeKind.Row => source.Fields.Count == target.Fields.Count
                && source.Fields.Zip(target.Fields).All(pair => Assignable(pair.First.Type, pair.Second.Type)),
            _ => true,
        };
    }

    /// <summary>The numeric type both numeric operands promote to (see the class remarks), non-null.</summary>
    public static SqlType Promote(SqlType left, SqlType right)
    {
        if (left.Kind == SqlTypeKind.Double || right.Kind == SqlTypeKind.Double)
        {
            return SqlType.Double;
        }

        if (left.Kind == SqlTypeKind.Float || right.Kind == SqlTypeKind.Float)
        {
            return SqlType.Float;
        }

        if (IsExactInteger(left) && IsExactInteger(right))
        {
            return left.Kind >= right.Kind ? left.WithNullable(true).WithoutTimeAttribute() : right.WithNullable(true).WithoutTimeAttribute();
        }

        var l = AsDecimal(left);
        var r = AsDecimal(right);
        var scale = Math.Max(l.Scale, r.Scale);
        return BoundedDecimal(Math.Max(l.Precision - l.Scale, r.Precision - r.Scale) + scale, scale);
    }

    /// <summary>An exact numeric as DECIMAL: integers get the precision that holds every value of them.</summary>
    public static SqlType AsDecimal(SqlType t) => t.Kind switch
    {
        SqlTypeKind.TinyInt => SqlType.Decimal(3, 0),
        SqlTypeKind.SmallInt => SqlType.Decimal(5, 0),
        SqlTypeKind.Int => SqlType.Decimal(10, 0),
        SqlTypeKind.BigInt => SqlType.Decimal(19, 0),
        _ => t,
    };

    /// <summary>A DECIMAL cut to 38 digits, losing scale first but keeping at least min(scale, 6).</summary>
    public static SqlType BoundedDecimal(int precision, int scale)
    {
        if (precision > SqlType.MaxDecimalPrecision)
        {
            var excess = precision - SqlType.MaxDecimalPrecision;
            scale = Math.Max(scale - excess, Math.Min(scale, 6));
            precision = SqlType.MaxDecimalPrecision;
        }

        return SqlType.Decimal(Math.Max(1, precision), Math.Min(scale, Math.Max(1, precision)));
    }

    private static SqlType? Additive(BinaryOperator op, SqlType left, SqlType right)
    {
        if (IsNumeric(left) && IsNumeric(right))
        {
            return NumericResult(op, left, right);
        }

        // Datetime plus or minus an interval keeps the datetime type; the result is no longer a time attribute.
        if ((IsDatetime(left) && IsInterval(right)) || (op == BinaryOperator.Add && IsInterval(left) && IsDatetime(right)))
        {
            return (IsDatetime(left) ? left : right).WithoutTimeAttribute();
        }

        if (IsInterval(left) && left.Kind == right.Kind)
        {
            return left;
        }

        return null;
    }

    private static SqlType NumericResult(BinaryOperator op, SqlType left, SqlType right)
    {
        var promoted = Promote(left, right);
        if (promoted.Kind != SqlTypeKind.Decimal)
        {
            return promoted;
        }

        var l = AsDecimal(left);
        var r = AsDecimal(right);
        switch (op)
        {
            case BinaryOperator.Multiply:
                return BoundedDecimal(l.Precision + r.Precision, l.Scale + r.Scale);
            case BinaryOperator.Divide:
                {
                    var scale = Math.Max(6, l.Scale + r.Precision + 1);
                    return BoundedDecimal(l.Precision - l.Scale + r.Scale + scale, scale);
                }

            case BinaryOperator.Modulo:
                {
                    var scale = Math.Max(l.Scale, r.Scale);
                    return BoundedDecimal(Math.Min(l.Precision - l.Scale, r.Precision - r.Scale) + scale, scale);
                }

            default:
                {
                    var scale = Math.Max(l.Scale, r.Scale);
                    return BoundedDecimal(Math.Max(l.Precision - l.Scale, r.Precision - r.Scale) + scale + 1, scale);
                }
        }
    }

    private static SqlType Concatenation(SqlType left, SqlType right)
    {
        var length = (long)left.Precision + right.Precision;
        return length >= SqlType.MaxLength ? SqlType.String : SqlType.Varchar((int)length);
    }
}
