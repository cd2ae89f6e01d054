using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Freshet.Sql.Binding;
using Freshet.Sql.Syntax;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Runtime;

/// <summary>Built-in functions: strings, math, time, conditionals, constructors, ITEM and EXTRACT.</summary>
internal static partial class ExpressionCompiler
{
    private static Func<Row, object?> Function(BoundCall call, TimeProvider clock)
    {
        var args = call.Arguments;
        var span = call.Span;
        switch (call.Function)
        {
            case "UPPER":
                return Strict(Node(args[0], clock), static s => ((string)s).ToUpperInvariant());
            case "LOWER":
                return Strict(Node(args[0], clock), static s => ((string)s).ToLowerInvariant());
            case "TRIM":
                return Strict(Node(args[0], clock), static s => ((string)s).Trim(' '));
            case "LTRIM":
                return Strict(Node(args[0], clock), static s => ((string)s).TrimStart(' '));
            case "RTRIM":
                return Strict(Node(args[0], clock), static s => ((string)s).TrimEnd(' '));
            case "CHAR_LENGTH" or "CHARACTER_LENGTH":
                return Strict(Node(args[0], clock), static s => ((string)s).Length);
            case "SUBSTRING" or "SUBSTR":
                return Substring(call, clock);
            case "CONCAT":
                return Concat(Nodes(args, clock));
            case "REPLACE":
                return Strict(Node(args[0], clock), Node(args[1], clock), Node(args[2], clock), static (s, search, replacement) =>
                    ((string)search).Length == 0 ? s : ((string)s).Replace((string)search, (string)replacement, StringComparison.Ordinal));
            case "REGEXP_EXTRACT":
                return RegexpExtract(call, clock);
            case "REGEXP_REPLACE":
                return RegexpReplace(call, clock);
            case "SPLIT_INDEX":
                return Strict(Node(args[0], clock), Node(args[1], clock), Coerced(args[2], SqlType.BigInt, clock), static (s, separator, index) =>
                    SplitIndex((string)s, (string)separator, (long)index));
            case "HOUR" or "MINUTE" or "SECOND" or "YEAR" or "QUARTER" or "MONTH" or "WEEK" or "DAYOFYEAR" or "DAYOFMONTH" or "DAYOFWEEK":
                return ExtractField(call.Function == "DAYOFMONTH" ? "DAY" : call.Function, args[0], span, clock);
            case "ABS":
                return Abs(call, clock);
            case "ROUND":
                return Round(call, clock);
            case "FLOOR":
                return FloorOrCeiling(call, clock, ceiling: false);
            case "CEIL" or "CEILING":
                return FloorOrCeiling(call, clock, ceiling: true);
            case "POWER":
                return Strict(Coerced(args[0], SqlType.Double, clock), Coerced(args[1], SqlType.Double, clock), static (x, y) => Math.Pow((double)x, (double)y));
            case "SQRT":
                return Strict(Coerced(args[0], SqlType.Double, clock), static x => Math.Sqrt((double)x));
            case "LN":
                return Strict(Coerced(args[0], SqlType.Double, clock), static x => Math.Log((double)x));
            case "EXP":
                return Strict(Coerced(args[0], SqlType.Double, clock), static x => Math.Exp((double)x));
            case "CURRENT_TIMESTAMP" or "NOW" or "PROCTIME":
                return _ => new DateTimeOffset(SqlCasts.TruncateTicks(clock.GetUtcNow().UtcTicks, 3), TimeSpan.Zero);
            case "LOCALTIMESTAMP":
                return _ => new DateTime(SqlCasts.TruncateTicks(clock.GetUtcNow().UtcTicks, 3), DateTimeKind.Unspecified);
            case "CURRENT_DATE":
                return _ => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            case "CURRENT_TIME":
                return _ => new TimeOnly(SqlCasts.TruncateTicks(clock.GetUtcNow().UtcDateTime.TimeOfDay.Ticks, 0));
            case "DATE_FORMAT":
                return DateFormat(call, clock);
            case "TO_TIMESTAMP":
                return ParseWithFormat(call, clock, date: false);
            case "TO_DATE":
                return ParseWithFormat(call, clock, date: true);
            case "COALESCE":
                return Coalesce(call, clock);
            case "NULLIF":
                return NullIf(call, clock);
            case "IF":
                {
                    var condition = Node(args[0], clock);
                    var then = Coerced(args[1], call.Type, clock);
                    var otherwise = Coerced(args[2], call.Type, clock);
                    return row => condition(row) is true ? then(row) : otherwise(row);
                }

            case "ITEM":
                return Item(call, clock);
            case "ARRAY":
                return ArrayConstructor(call, clock);
            case "MAP":
                return MapConstructor(call, clock);
            case "ROW":
                {
                    var fields = Nodes(args, clock);
                    return row =>
                    {
                        var values = new object?[fields.Length];
                        for (var i = 0; i < fields.Length; i++)
                        {
                            values[i] = fields[i](row);
                        }

                        return new Row(values);
                    };
                }

            case "EXTRACT":
                return Extract(call, clock);
            default:
                throw new SqlValidationException($"Function {call.Function} is not supported at run time", span);
        }
    }

    /// <summary>A temporary system function: arguments converted to its parameter types; an exception it throws fails
    /// the query with a <see cref="SqlRuntimeException"/> naming it.</summary>
    private static Func<Row, object?> UserFunction(BoundCall call, Catalog.CatalogFunction function, TimeProvider clock)
    {
        var arguments = new Func<Row, object?>[call.Arguments.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Coerced(call.Arguments[i], function.ParameterTypes[i], clock);
        }

        var span = call.Span;
        return row =>
        {
            var values = new object?[arguments.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = arguments[i](row);
            }

            try
            {
                return function.Invoke(values);
            }
            catch (Exception e) when (e is not SqlException)
            {
                throw new SqlRuntimeException($"Function {function.Name} failed: {e.Message}", span, e);
            }
        };
    }

    private static Func<Row, object?> Substring(BoundCall call, TimeProvider clock)
    {
        var text = Node(call.Arguments[0], clock);
        var start = Coerced(call.Arguments[1], SqlType.BigInt, clock);
        var length = call.Arguments.Count > 2 ? Coerced(call.Arguments[2], SqlType.BigInt, clock) : Constant(long.MaxValue);
        return Strict(text, start, length, static (t, p, l) =>
        {
            // Flink: 1-based; a negative start counts from the end; 0 is the start; a negative length gives NULL.
            var s = (string)t;
            var position = (long)p;
            var count = (long)l;
            if (count < 0)
            {
                return null;
            }

            var from = position > 0 ? position - 1 : position < 0 ? s.Length + position : 0;
            var to = count == long.MaxValue ? s.Length : from + count;
            from = Math.Clamp(from, 0, s.Length);
            to = Math.Clamp(to, from, s.Length);
            return s.Substring((int)from, (int)(to - from));
        });
    }

    private static Func<Row, object?> Concat(Func<Row, object?>[] parts) => row =>
    {
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (part(row) is not string value)
            {
                return null;
            }

            text.Append(value);
        }

        return text.ToString();
    };

    private static Func<Row, object?> RegexpExtract(BoundCall call, TimeProvider clock)
    {
        var args = call.Arguments;
        var text = Node(args[0], clock);
        var pattern = Node(args[1], clock);
        var group = args.Count > 2 ? Coerced(args[2], SqlType.BigInt, clock) : Constant(0L);
        var regexOf = RegexOf(args[1], call);
        var span = call.Span;
        return Strict(text, pattern, group, (t, p, g) =>
        {
            var regex = regexOf((string)p);
            Match match;
            try
            {
                match = regex.Match((string)t);
            }
            catch (RegexMatchTimeoutException e)
            {
                throw new SqlRuntimeException($"REGEXP_EXTRACT timed out after {RegexTimeout.TotalSeconds} s matching {Show(t)}", span, e);
            }

            var index = (long)g;
            return match.Success && index >= 0 && index < match.Groups.Count && match.Groups[(int)index].Success ? match.Groups[(int)index].Value : null;
        });
    }

    private static Func<Row, object?> RegexpReplace(BoundCall call, TimeProvider clock)
    {
        var args = call.Arguments;
        var regexOf = RegexOf(args[1], call);
        var span = call.Span;
        return Strict(Node(args[0], clock), Node(args[1], clock), Node(args[2], clock), (t, p, r) =>
        {
            try
            {
                return regexOf((string)p).Replace((string)t, (string)r);
            }
            catch (RegexMatchTimeoutException e)
            {
                throw new SqlRuntimeException($"REGEXP_REPLACE timed out after {RegexTimeout.TotalSeconds} s matching {Show(t)}", span, e);
            }
        });
    }

    /// <summary>The compiled regular expression for a pattern value: compiled once when the pattern is a literal,
    /// else the last pattern is kept.</summary>
    private static Func<string, Regex> RegexOf(BoundExpression pattern, BoundCall call)
    {
        var span = call.Span;
        Regex Create(string text)
        {
            try
            {
                return new Regex(text, RegexOptions.CultureInvariant, RegexTimeout);
            }
            catch (ArgumentException e)
            {
                throw new SqlRuntimeException($"{call.Function}: invalid regular expression {Show(text)}: {e.Message}", span, e);
            }
        }

        if (pattern is BoundLiteral literal && SqlValues.ParseLiteral(literal) is string constant)
        {
            var compiled = Create(constant);
            return _ => compiled;
        }

        var cache = new RegexCache();
        return text => cache.Get(text, () => Create(text));
    }

    private static Func<Row, object?> Abs(BoundCall call, TimeProvider clock)
    {
        var operand = Node(call.Arguments[0], clock);
        return call.Type.Kind switch
        {
            SqlTypeKind.TinyInt => Strict(operand, static x => unchecked((sbyte)Math.Abs((int)(sbyte)x))),
            SqlTypeKind.SmallInt => Strict(operand, static x => unchecked((short)Math.Abs((int)(short)x))),
            SqlTypeKind.Int => Strict(operand, static x => (int)x == int.MinValue ? int.MinValue : Math.Abs((int)x)),
            SqlTypeKind.BigInt => Strict(operand, static x => (long)x == long.MinValue ? long.MinValue : Math.Abs((long)x)),
            SqlTypeKind.Float => Strict(operand, static x => Math.Abs((float)x)),
            SqlTypeKind.Double => Strict(operand, static x => Math.Abs((double)x)),
            _ => Strict(operand, static x => Math.Abs((decimal)x)),
        };
    }

    private static Func<Row, object?> Round(BoundCall call, TimeProvider clock)
    {
        var operand = Node(call.Arguments[0], clock);
        var digits = call.Arguments.Count > 1 ? Coerced(call.Arguments[1], SqlType.Int, clock) : Constant(0);
        var type = call.Type;
        var toType = SqlCasts.Converter(SqlType.Decimal(38, 0), type);
        var toLong = SqlCasts.Converter(type, SqlType.BigInt);
        return Strict(operand, digits, (x, d) =>
        {
            // Half away from zero, as Java's RoundingMode.HALF_UP that Flink uses; a negative digit count rounds left of the point.
            var places = (int)d;
            switch (type.Kind)
            {
                case SqlTypeKind.Double or SqlTypeKind.Float:
                    {
                        var value = type.Kind == SqlTypeKind.Float ? (double)(float)x : (double)x;
                        double rounded;
                        if (double.IsFinite(value) && Math.Abs(value) < 7.9e27 && places is >= 0 and <= 28)
                        {
                            rounded = (double)Math.Round((decimal)value, places, MidpointRounding.AwayFromZero);
                        }
                        else
                        {
                            var factor = Math.Pow(10, places);
                            rounded = Math.Round(value * factor, MidpointRounding.AwayFromZero) / factor;
                        }

                        return type.Kind == SqlTypeKind.Float ? (object)(float)rounded : rounded;
                    }

                case SqlTypeKind.Decimal:
                    return SqlValues.WithScale(RoundDecimal((decimal)x, places), type.Scale);
                default:
                    {
                        var value = (long)toLong(x);
                        return toType(RoundDecimal(value, places));
                    }
            }
        });
    }

    private static decimal RoundDecimal(decimal value, int places)
    {
        if (places >= 0)
        {
            return Math.Round(value, Math.Min(places, 28), MidpointRounding.AwayFromZero);
        }

        var factor = 1m;
        for (var i = 0; i < Math.Min(-places, 28); i++)
        {
            factor *= 10;
        }

        return Math.Round(value / factor, MidpointRounding.AwayFromZero) * factor;
    }

    private static Func<Row, object?> FloorOrCeiling(BoundCall call, TimeProvider clock, bool ceiling)
    {
        var operand = Node(call.Arguments[0], clock);
        return call.Arguments[0].Type.Kind switch
        {
            SqlTypeKind.Double => Strict(operand, x => ceiling ? Math.Ceiling((double)x) : Math.Floor((double)x)),
            SqlTypeKind.Float => Strict(operand, x => ceiling ? MathF.Ceiling((float)x) : MathF.Floor((float)x)),
            SqlTypeKind.Decimal => Strict(operand, x => ceiling ? Math.Ceiling((decimal)x) : Math.Floor((decimal)x)),
            _ => operand,
        };
    }

    private static Func<Row, object?> DateFormat(BoundCall call, TimeProvider clock)
    {
        var source = call.Arguments[0];
        var value = Node(source, clock);
        Func<object, DateTime?> wallClock = source.Type.Kind switch
        {
            SqlTypeKind.Timestamp => static v => (DateTime)v,
            SqlTypeKind.TimestampLtz => static v => ((DateTimeOffset)v).UtcDateTime,
            _ => static v => SqlCasts.TryParseTimestamp((string)v),
        };
        var formatOf = JavaDateFormat.Cached(call.Arguments[1], call.Span);
        return Strict(value, Node(call.Arguments[1], clock), (v, pattern) =>
            wallClock(v) is { } time ? time.ToString(formatOf((string)pattern), CultureInfo.InvariantCulture) : null);
    }

    private static Func<Row, object?> ParseWithFormat(BoundCall call, TimeProvider clock, bool date)
    {
        var text = Node(call.Arguments[0], clock);
        if (call.Arguments.Count == 1)
        {
            return date
                ? Strict(text, static t => DateOnly.TryParseExact(((string)t).Trim(), ["yyyy-MM-dd", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null)
                : Strict(text, static t => SqlCasts.TryParseTimestamp((string)t) is { } ts ? new DateTime(SqlCasts.TruncateTicks(ts.Ticks, 3)) : null);
        }

        var formatOf = JavaDateFormat.Cached(call.Arguments[1], call.Span);
        return Strict(text, Node(call.Arguments[1], clock), (t, pattern) =>
        {
            // Flink gives NULL for a string that does not match the format.
            if (!DateTime.TryParseExact((string)t, formatOf((string)pattern), CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                return null;
            }

            return date ? (object)DateOnly.FromDateTime(parsed) : new DateTime(SqlCasts.TruncateTicks(parsed.Ticks, 3), DateTimeKind.Unspecified);
        });
    }

    private static Func<Row, object?> Coalesce(BoundCall call, TimeProvider clock)
    {
        var values = new Func<Row, object?>[call.Arguments.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Coerced(call.Arguments[i], call.Type, clock);
        }

        return row =>
        {
            foreach (var value in values)
            {
                if (value(row) is { } found)
                {
                    return found;
                }
            }

            return null;
        };
    }

    private static Func<Row, object?> NullIf(BoundCall call, TimeProvider clock)
    {
        var common = CommonType(call.Arguments);
        var first = Coerced(call.Arguments[0], call.Type, clock);
        var left = Coerced(call.Arguments[0], common, clock);
        var right = Coerced(call.Arguments[1], common, clock);
        return row =>
        {
            var x = left(row);
            return x is not null && right(row) is { } y && SqlValues.Compare(x, y) == 0 ? null : first(row);
        };
    }

    private static Func<Row, object?> Item(BoundCall call, TimeProvider clock)
    {
        var target = call.Arguments[0];
        var container = Node(target, clock);
        if (target.Type.Kind == SqlTypeKind.Array)
        {
            // 1-based; an index outside the array gives NULL.
            return Strict(container, Coerced(call.Arguments[1], SqlType.BigInt, clock), static (a, i) =>
            {
                var array = (object?[])a;
                var index = (long)i;
                return index >= 1 && index <= array.Length ? array[index - 1] : null;
            });
        }

        var key = Coerced(call.Arguments[1], target.Type.Key!, clock);
        return Strict(container, key, static (m, k) =>
        {
            var map = (Dictionary<object, object?>)m;
            if (map.TryGetValue(k, out var found))
            {
                return found;
            }

            // A map read from a format may use the default comparer; look by SQL value equality then.
            foreach (var (candidate, value) in map)
            {
                if (Row.ValueEquals(candidate, k))
                {
                    return value;
                }
            }

            return null;
        });
    }

    private static Func<Row, object?> ArrayConstructor(BoundCall call, TimeProvider clock)
    {
        var element = call.Type.Element!;
        var values = new Func<Row, object?>[call.Arguments.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Coerced(call.Arguments[i], element, clock);
        }

        return row =>
        {
            var array = new object?[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                array[i] = values[i](row);
            }

            return array;
        };
    }

    private static Func<Row, object?> MapConstructor(BoundCall call, TimeProvider clock)
    {
        var pairs = call.Arguments.Count / 2;
        var keys = new Func<Row, object?>[pairs];
        var values = new Func<Row, object?>[pairs];
        for (var i = 0; i < pairs; i++)
        {
            keys[i] = Coerced(call.Arguments[2 * i], call.Type.Key!, clock);
            values[i] = Coerced(call.Arguments[(2 * i) + 1], call.Type.Element!, clock);
        }

        var span = call.Span;
        return row =>
        {
            var map = new Dictionary<object, object?>(pairs, SqlValues.EqualityComparer);
            for (var i = 0; i < pairs; i++)
            {
                var key = keys[i](row) ?? throw new SqlRuntimeException("MAP[...] key must not be NULL", span);
                map[key] = values[i](row);
            }

            return map;
        };
    }

    private static Func<Row, object?> Extract(BoundCall call, TimeProvider clock) =>
        ExtractField(((BoundLiteral)call.Arguments[0]).Text!, call.Arguments[1], call.Span, clock);

    /// <summary>
    /// SPLIT_INDEX as Flink (commons-lang's splitByWholeSeparatorPreserveAllTokens): <paramref name="s"/> split at
    /// each occurrence of the whole <paramref name="separator"/>, empty fields kept (<c>a//b</c> is <c>a</c>, empty,
    /// <c>b</c>), an empty separator splitting at each whitespace character; the field at the 0-based
    /// <paramref name="index"/>, or NULL when the index is negative or past the last field (an empty string has none).
    /// </summary>
    internal static string? SplitIndex(string s, string separator, long index)
    {
        if (index < 0 || s.Length == 0)
        {
            return null;
        }

        var start = 0;
        long field = 0;
        while (true)
        {
            int end;
            int width;
            if (separator.Length == 0)
            {
                end = start;
                while (end < s.Length && !char.IsWhiteSpace(s[end]))
                {
                    end++;
                }

                end = end == s.Length ? -1 : end;
                width = 1;
            }
            else
            {
                end = s.IndexOf(separator, start, StringComparison.Ordinal);
                width = separator.Length;
            }

            if (end < 0)
            {
                return field == index ? s[start..] : null;
            }

            if (field == index)
            {
                return s[start..end];
            }

            field++;
            start = end + width;
        }
    }

    private static Func<Row, object?> ExtractField(string unit, BoundExpression source, SqlSpan span, TimeProvider clock)
    {
        var value = Node(source, clock);
        if (source.Type.Kind == SqlTypeKind.IntervalYearMonth)
        {
            return Strict(value, x => unit switch
            {
                "YEAR" => (long)((int)x / 12),
                "MONTH" => (long)((int)x % 12),
                "QUARTER" => (long)((int)x % 12 / 3) + 1,
                _ => throw new SqlRuntimeException($"EXTRACT {unit} from an INTERVAL YEAR TO MONTH is not supported", span),
            });
        }

        if (source.Type.Kind == SqlTypeKind.IntervalDayTime)
        {
            return Strict(value, x =>
            {
                var interval = (TimeSpan)x;
                return unit switch
                {
                    "DAY" => (long)interval.Days,
                    "HOUR" => (long)interval.Hours,
                    "MINUTE" => (long)interval.Minutes,
                    "SECOND" => (long)interval.Seconds,
                    "MILLISECOND" => ((long)interval.Seconds * 1000) + interval.Milliseconds,
                    "EPOCH" => interval.Ticks / TimeSpan.TicksPerSecond,
                    _ => throw new SqlRuntimeException($"EXTRACT {unit} from an INTERVAL DAY TO SECOND is not supported", span),
                };
            });
        }

        Func<object, DateTime> wallClock = source.Type.Kind switch
        {
            SqlTypeKind.Date => static x => ((DateOnly)x).ToDateTime(TimeOnly.MinValue),
            SqlTypeKind.Time => static x => DateTime.UnixEpoch.Add(((TimeOnly)x).ToTimeSpan()),
            SqlTypeKind.Timestamp => static x => (DateTime)x,
            _ => static x => ((DateTimeOffset)x).UtcDateTime,
        };
        Func<DateTime, long> field = unit switch
        {
            "YEAR" => static t => t.Year,
            "QUARTER" => static t => ((t.Month - 1) / 3) + 1,
            "MONTH" => static t => t.Month,
            "WEEK" => static t => ISOWeek.GetWeekOfYear(t),
            "DAY" => static t => t.Day,
            "HOUR" => static t => t.Hour,
            "MINUTE" => static t => t.Minute,
            "SECOND" => static t => t.Second,
            // As Calcite: the seconds field scaled, so EXTRACT(MILLISECOND ...) of 12:00:05.123 is 5123.
            "MILLISECOND" => static t => (t.Second * 1000L) + t.Millisecond,
            "MICROSECOND" => static t => (t.Second * 1_000_000L) + ((t.Ticks % TimeSpan.TicksPerSecond) / 10),
            "NANOSECOND" => static t => (t.Second * 1_000_000_000L) + ((t.Ticks % TimeSpan.TicksPerSecond) * 100),
            // Sunday is 1, Saturday 7, as Flink.
            "DAYOFWEEK" => static t => (long)t.DayOfWeek + 1,
            "DAYOFYEAR" => static t => t.DayOfYear,
            "EPOCH" => static t => (long)Math.Floor((t - DateTime.UnixEpoch).TotalSeconds),
            "DECADE" => static t => t.Year / 10,
            "CENTURY" => static t => ((t.Year - 1) / 100) + 1,
            "MILLENNIUM" => static t => ((t.Year - 1) / 1000) + 1,
            _ => throw new SqlValidationException($"EXTRACT {unit} is not supported", span),
        };
        return Strict(value, x => field(wallClock(x)));
    }
}
