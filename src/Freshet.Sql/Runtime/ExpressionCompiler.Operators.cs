using System.Text;
using System.Text.RegularExpressions;
using Freshet.Sql.Binding;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Runtime;

/// <summary>Logic, comparisons, arithmetic, IN, LIKE, CASE and the IS tests.</summary>
internal static partial class ExpressionCompiler
{
    private static Func<Row, object?> Call(BoundCall call, TimeProvider clock)
    {
        var args = call.Arguments;
        if (call.UserFunction is { } function)
        {
            // Before the operators: a registered function's name may be spelled like one (a function "like").
            return UserFunction(call, function, clock);
        }

        switch (call.Function)
        {
            case "AND":
                return And(Node(args[0], clock), Node(args[1], clock));
            case "OR":
                return Or(Node(args[0], clock), Node(args[1], clock));
            case "NOT":
                return Strict(Node(args[0], clock), static x => Box(!(bool)x));
            case "=" or "<>" or "<" or "<=" or ">" or ">=":
                return Comparison(call, clock);
            case "IS DISTINCT FROM" or "IS NOT DISTINCT FROM":
                return DistinctFrom(call, clock);
            case "IS NULL":
                return IsTest(Node(args[0], clock), static v => v is null);
            case "IS NOT NULL":
                return IsTest(Node(args[0], clock), static v => v is not null);
            case "IS TRUE":
                return IsTest(Node(args[0], clock), static v => v is true);
            case "IS NOT TRUE":
                return IsTest(Node(args[0], clock), static v => v is not true);
            case "IS FALSE":
                return IsTest(Node(args[0], clock), static v => v is false);
            case "IS NOT FALSE":
                return IsTest(Node(args[0], clock), static v => v is not false);
            case "IS UNKNOWN":
                return IsTest(Node(args[0], clock), static v => v is null);
            case "IS NOT UNKNOWN":
                return IsTest(Node(args[0], clock), static v => v is not null);
            case "+" or "-" or "*" or "/" or "%" or "MOD":
                return Arithmetic(call, clock);
            case "NEGATE":
                return Negate(call, clock);
            case "||":
                return Strict(Node(args[0], clock), Node(args[1], clock), static (x, y) => string.Concat((string)x, (string)y));
            case "IN" or "NOT IN":
                return In(call, clock);
            case "LIKE" or "NOT LIKE":
                return Like(call, clock);
            case "CASE":
                return Case(call, clock);
            default:
                return Function(call, clock);
        }
    }

    private static Func<Row, object?> And(Func<Row, object?> left, Func<Row, object?> right) => row =>
    {
        var l = left(row);
        if (l is false)
        {
            return BoxedFalse;
        }

        var r = right(row);
        return r is false ? BoxedFalse : l is null || r is null ? null : BoxedTrue;
    };

    private static Func<Row, object?> Or(Func<Row, object?> left, Func<Row, object?> right) => row =>
    {
        var l = left(row);
        if (l is true)
        {
            return BoxedTrue;
        }

        var r = right(row);
        return r is true ? BoxedTrue : l is null || r is null ? null : BoxedFalse;
    };

    private static Func<Row, object?> IsTest(Func<Row, object?> operand, Func<object?, bool> test) => row => Box(test(operand(row)));

    private static Func<Row, object?> Comparison(BoundCall call, TimeProvider clock)
    {
        var common = CommonType(call.Arguments);
        var left = Coerced(call.Arguments[0], common, clock);
        var right = Coerced(call.Arguments[1], common, clock);
        var compare = Comparer(common);
        return call.Function switch
        {
            "=" => Strict(left, right, (x, y) => Box(compare(x, y) == 0)),
            "<>" => Strict(left, right, (x, y) => Box(compare(x, y) != 0)),
            "<" => Strict(left, right, (x, y) => Box(compare(x, y) < 0)),
            "<=" => Strict(left, right, (x, y) => Box(compare(x, y) <= 0)),
            ">" => Strict(left, right, (x, y) => Box(compare(x, y) > 0)),
            _ => Strict(left, right, (x, y) => Box(compare(x, y) >= 0)),
        };
    }

    /// <summary>The order of two non-null values of <paramref name="type"/>: direct for the common scalar types,
    /// else <see cref="SqlValues.Compare"/>.</summary>
    private static Func<object, object, int> Comparer(SqlType type) => type.Kind switch
    {
        SqlTypeKind.Int => static (x, y) => ((int)x).CompareTo((int)y),
        SqlTypeKind.BigInt => static (x, y) => ((long)x).CompareTo((long)y),
        SqlTypeKind.Double => static (x, y) => ((double)x).CompareTo((double)y),
        SqlTypeKind.Decimal => static (x, y) => ((decimal)x).CompareTo((decimal)y),
        SqlTypeKind.Char or SqlTypeKind.Varchar => static (x, y) => string.CompareOrdinal((string)x, (string)y),
        SqlTypeKind.Timestamp => static (x, y) => ((DateTime)x).Ticks.CompareTo(((DateTime)y).Ticks),
        SqlTypeKind.TimestampLtz => static (x, y) => ((DateTimeOffset)x).UtcTicks.CompareTo(((DateTimeOffset)y).UtcTicks),
        _ => SqlValues.Compare,
    };

    private static Func<Row, object?> DistinctFrom(BoundCall call, TimeProvider clock)
    {
        var common = CommonType(call.Arguments);
        var left = Coerced(call.Arguments[0], common, clock);
        var right = Coerced(call.Arguments[1], common, clock);
        var distinct = call.Function == "IS DISTINCT FROM";
        return row =>
        {
            var x = left(row);
            var y = right(row);
            var same = x is null ? y is null : y is not null && SqlValues.Compare(x, y) == 0;
            return Box(same != distinct);
        };
    }

    private static Func<Row, object?> In(BoundCall call, TimeProvider clock)
    {
        var common = CommonType(call.Arguments);
        var operand = Coerced(call.Arguments[0], common, clock);
        var values = new Func<Row, object?>[call.Arguments.Count - 1];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Coerced(call.Arguments[i + 1], common, clock);
        }

        var negated = call.Function == "NOT IN";
        return row =>
        {
            if (operand(row) is not { } x)
            {
                return null;
            }

            // x IN (a, b) is x = a OR x = b: TRUE on a match, else NULL if any value is NULL, else FALSE.
            var sawNull = false;
            foreach (var value in values)
            {
                if (value(row) is not { } y)
                {
                    sawNull = true;
                }
                else if (SqlValues.Compare(x, y) == 0)
                {
                    return Box(!negated);
                }
            }

            return sawNull ? null : Box(negated);
        };
    }

    private static Func<Row, object?> Case(BoundCall call, TimeProvider clock)
    {
        var args = call.Arguments;
        var pairs = (args.Count - 1) / 2;
        var conditions = new Func<Row, object?>[pairs];
        var results = new Func<Row, object?>[pairs];
        for (var i = 0; i < pairs; i++)
        {
            conditions[i] = Node(args[2 * i], clock);
            results[i] = Coerced(args[(2 * i) + 1], call.Type, clock);
        }

        var otherwise = Coerced(args[^1], call.Type, clock);
        return row =>
        {
            for (var i = 0; i < conditions.Length; i++)
            {
                if (conditions[i](row) is true)
                {
                    return results[i](row);
                }
            }

            return otherwise(row);
        };
    }

    private static Func<Row, object?> Like(BoundCall call, TimeProvider clock)
    {
        var args = call.Arguments;
        var operand = Node(args[0], clock);
        var negated = call.Function == "NOT LIKE";
        var span = call.Span;
        if (args[1] is BoundLiteral patternLiteral && (args.Count == 2 || args[2] is BoundLiteral))
        {
            var pattern = SqlValues.ParseLiteral(patternLiteral) as string;
            var escape = args.Count == 2 ? null : SqlValues.ParseLiteral((BoundLiteral)args[2]) as string;
            if (pattern is null || (args.Count == 3 && escape is null))
            {
                return Constant(null);
            }

            var regex = LikeRegex(pattern, escape, span);
            return Strict(operand, value => Box(Matches(regex, (string)value, "LIKE", span) != negated));
        }

        var patternNode = Node(args[1], clock);
        var escapeNode = args.Count == 2 ? Constant(string.Empty) : Node(args[2], clock);
        var cache = new RegexCache();
        return Strict(operand, patternNode, escapeNode, (value, pattern, escape) =>
        {
            var regex = cache.Get((string)pattern + "\u0000" + (string)escape, () => LikeRegex((string)pattern, (string)escape is "" ? null : (string)escape, span));
            return Box(Matches(regex, (string)value, "LIKE", span) != negated);
        });
    }

    /// <summary>SQL LIKE as an anchored regular expression: <c>%</c> any run, <c>_</c> one character, the escape
    /// character making the next one literal.</summary>
    private static Regex LikeRegex(string pattern, string? escape, Syntax.SqlSpan span)
    {
        if (escape is not null && escape.Length != 1)
        {
            throw new SqlRuntimeException($"LIKE escape must be one character, but is {Show(escape)}", span);
        }

        var text = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (escape is not null && c == escape[0])
            {
                if (i + 1 >= pattern.Length || pattern[i + 1] is not ('%' or '_') && pattern[i + 1] != escape[0])
                {
                    throw new SqlRuntimeException($"LIKE pattern {Show(pattern)} has an invalid escape at position {i + 1}", span);
                }

                text.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else
            {
                text.Append(c switch
                {
                    '%' => ".*",
                    '_' => ".",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return new Regex(text.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, RegexTimeout);
    }

    private static bool Matches(Regex regex, string value, string function, Syntax.SqlSpan span)
    {
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException e)
        {
            throw new SqlRuntimeException($"{function} timed out after {RegexTimeout.TotalSeconds} s matching {Show(value)}", span, e);
        }
    }

    private static Func<Row, object?> Negate(BoundCall call, TimeProvider clock)
    {
        var operand = Node(call.Arguments[0], clock);
        return call.Type.Kind switch
        {
            SqlTypeKind.TinyInt => Strict(operand, static x => unchecked((sbyte)-(sbyte)x)),
            SqlTypeKind.SmallInt => Strict(operand, static x => unchecked((short)-(short)x)),
            SqlTypeKind.Int => Strict(operand, static x => unchecked(-(int)x)),
            SqlTypeKind.BigInt => Strict(operand, static x => unchecked(-(long)x)),
            SqlTypeKind.Float => Strict(operand, static x => -(float)x),
            SqlTypeKind.Double => Strict(operand, static x => -(double)x),
            SqlTypeKind.Decimal => Strict(operand, static x => -(decimal)x),
            SqlTypeKind.IntervalDayTime => Strict(operand, static x => ((TimeSpan)x).Negate()),
            SqlTypeKind.IntervalYearMonth => Strict(operand, static x => unchecked(-(int)x)),
            _ => throw new SqlValidationException($"Cannot negate {call.Type}", call.Span),
        };
    }

    private static Func<Row, object?> Arithmetic(BoundCall call, TimeProvider clock)
    {
        var left = call.Arguments[0];
        var right = call.Arguments[1];
        var op = call.Function == "MOD" ? "%" : call.Function;
        if (SqlTypeRules.IsNumeric(call.Type) && !SqlTypeRules.IsInterval(left.Type) && !SqlTypeRules.IsInterval(right.Type))
        {
            var l = Coerced(left, call.Type, clock);
            var r = Coerced(right, call.Type, clock);
            return Strict(l, r, NumericOperator(op, call.Type, call.Span));
        }

        return Strict(Node(left, clock), Node(right, clock), TemporalOperator(op, left.Type, right.Type, call));
    }

    private static Func<object, object, object?> NumericOperator(string op, SqlType type, Syntax.SqlSpan span)
    {
        var divisionByZero = (object dividend) => new SqlRuntimeException($"Division by zero: {Show(dividend)} {op} 0 ({type.WithNullable(true)})", span);
        switch (type.Kind)
        {
            case SqlTypeKind.TinyInt:
                {
                    var int32 = NumericOperator(op, SqlType.Int, span);
                    return (x, y) => unchecked((sbyte)(int)int32((int)(sbyte)x, (int)(sbyte)y)!);
                }

            case SqlTypeKind.SmallInt:
                {
                    var int32 = NumericOperator(op, SqlType.Int, span);
                    return (x, y) => unchecked((short)(int)int32((int)(short)x, (int)(short)y)!);
                }

            case SqlTypeKind.Int:
                return op switch
                {
                    "+" => static (x, y) => unchecked((int)x + (int)y),
                    "-" => static (x, y) => unchecked((int)x - (int)y),
                    "*" => static (x, y) => unchecked((int)x * (int)y),
                    "/" => (x, y) => (int)y switch { 0 => throw divisionByZero(x), -1 => unchecked(-(int)x), var d => (int)x / d },
                    _ => (x, y) => (int)y switch { 0 => throw divisionByZero(x), -1 => 0, var d => (int)x % d },
                };
            case SqlTypeKind.BigInt:
                return op switch
                {
                    "+" => static (x, y) => unchecked((long)x + (long)y),
                    "-" => static (x, y) => unchecked((long)x - (long)y),
                    "*" => static (x, y) => unchecked((long)x * (long)y),
                    "/" => (x, y) => (long)y switch { 0 => throw divisionByZero(x), -1 => unchecked(-(long)x), var d => (long)x / d },
                    _ => (x, y) => (long)y switch { 0 => throw divisionByZero(x), -1 => 0L, var d => (long)x % d },
                };
            case SqlTypeKind.Float:
                return op switch
                {
                    "+" => static (x, y) => (float)x + (float)y,
                    "-" => static (x, y) => (float)x - (float)y,
                    "*" => static (x, y) => (float)x * (float)y,
                    "/" => static (x, y) => (float)x / (float)y,
                    _ => static (x, y) => (float)x % (float)y,
                };
            case SqlTypeKind.Double:
                return op switch
                {
                    "+" => static (x, y) => (double)x + (double)y,
                    "-" => static (x, y) => (double)x - (double)y,
                    "*" => static (x, y) => (double)x * (double)y,
                    "/" => static (x, y) => (double)x / (double)y,
                    _ => static (x, y) => (double)x % (double)y,
                };
            default:
                {
                    var scale = type.Scale;
                    Func<decimal, decimal, decimal> apply = op switch
                    {
                        "+" => static (x, y) => x + y,
                        "-" => static (x, y) => x - y,
                        "*" => static (x, y) => x * y,
                        "/" => (x, y) => y == 0m ? throw divisionByZero(x) : x / y,
                        _ => (x, y) => y == 0m ? throw divisionByZero(x) : x % y,
                    };
                    return (x, y) =>
                    {
                        try
                        {
                            return SqlValues.WithScale(apply((decimal)x, (decimal)y), scale);
                        }
                        catch (OverflowException e)
                        {
                            throw new SqlRuntimeException($"'{op}' of {Show(x)} and {Show(y)} overflows DECIMAL", span, e);
                        }
                    };
                }
        }
    }

    private static Func<object, object, object?> TemporalOperator(string op, SqlType left, SqlType right, BoundCall call)
    {
        var raw = RawTemporalOperator(op, left, right);
        var span = call.Span;
        return (x, y) =>
        {
            try
            {
                return raw(x, y);
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
            {
                throw new SqlRuntimeException($"'{op}' of {Show(x)} and {Show(y)} is out of range", span, e);
            }
        };
    }

    private static Func<object, object, object> RawTemporalOperator(string op, SqlType left, SqlType right)
    {
        var sign = op == "-" ? -1 : 1;
        if (op == "*")
        {
            var intervalLeft = SqlTypeRules.IsInterval(left);
            var interval = intervalLeft ? left : right;
            var factor = SqlCasts.Converter(intervalLeft ? right : left, SqlType.BigInt);
            return interval.Kind == SqlTypeKind.IntervalDayTime
                ? (x, y) => TimeSpan.FromTicks(checked(((TimeSpan)(intervalLeft ? x : y)).Ticks * (long)factor(intervalLeft ? y : x)))
                : (x, y) => unchecked((int)((int)(intervalLeft ? x : y) * (long)factor(intervalLeft ? y : x)));
        }

        if (SqlTypeRules.IsInterval(left) && SqlTypeRules.IsInterval(right))
        {
            return left.Kind == SqlTypeKind.IntervalDayTime
                ? (x, y) => sign > 0 ? (TimeSpan)x + (TimeSpan)y : (TimeSpan)x - (TimeSpan)y
                : (x, y) => unchecked((int)x + (sign * (int)y));
        }

        // A datetime plus or minus an interval; INTERVAL + datetime is the same sum.
        var datetimeLeft = SqlTypeRules.IsDatetime(left);
        var datetime = datetimeLeft ? left : right;
        var yearMonth = (datetimeLeft ? right : left).Kind == SqlTypeKind.IntervalYearMonth;
        Func<object, object, object> shift = (datetime.Kind, yearMonth) switch
        {
            (SqlTypeKind.Date, true) => (d, i) => ((DateOnly)d).AddMonths(sign * (int)i),
            (SqlTypeKind.Date, false) => (d, i) => ((DateOnly)d).AddDays(checked((int)(sign * ((TimeSpan)i).Ticks / TimeSpan.TicksPerDay))),
            (SqlTypeKind.Time, true) => (d, _) => d,
            (SqlTypeKind.Time, false) => (d, i) => ((TimeOnly)d).Add(sign > 0 ? (TimeSpan)i : ((TimeSpan)i).Negate()),
            (SqlTypeKind.Timestamp, true) => (d, i) => ((DateTime)d).AddMonths(sign * (int)i),
            (SqlTypeKind.Timestamp, false) => (d, i) => ((DateTime)d).Add(sign > 0 ? (TimeSpan)i : ((TimeSpan)i).Negate()),
            (_, true) => (d, i) => ((DateTimeOffset)d).AddMonths(sign * (int)i),
            _ => (d, i) => ((DateTimeOffset)d).Add(sign > 0 ? (TimeSpan)i : ((TimeSpan)i).Negate()),
        };
        return datetimeLeft ? shift : (x, y) => shift(y, x);
    }

    /// <summary>The last compiled pattern of a LIKE or REGEXP function whose pattern is not a constant; safe to share
    /// between threads (one immutable entry swapped whole).</summary>
    private sealed class RegexCache
    {
        private Tuple<string, Regex>? _last;

        public Regex Get(string key, Func<Regex> create)
        {
            var last = _last;
            if (last is not null && last.Item1 == key)
            {
                return last.Item2;
            }

            var regex = create();
            _last = Tuple.Create(key, regex);
            return regex;
        }
    }
}
