using System.Globalization;
using Freshet.Sql.Ast;
using Freshet.Sql.Printing;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Binding;

/// <summary>
/// Binds and types the expressions of one clause against a <see cref="Scope"/>: resolves names, checks operators and
/// function calls, and enforces where aggregates and OVER may appear. One instance per clause; not thread-safe.
/// </summary>
internal sealed partial class ExpressionBinder
{
    private readonly Scope _scope;
    private readonly QueryBinder _queries;
    private readonly Clause _clause;
    private readonly IReadOnlyList<NamedWindow> _namedWindows;
    private readonly Scope? _outer;
    private bool _insideAggregate;

    /// <param name="scope">The names the expressions see.</param>
    /// <param name="queries">Binds subqueries.</param>
    /// <param name="clause">The clause, for where aggregates and OVER may appear.</param>
    /// <param name="namedWindows">The WINDOW clause's windows.</param>
    /// <param name="outer">The enclosing query's FROM row when these expressions belong to a subquery, else null; a
    /// name found only there binds as a <see cref="BoundOuterReference"/>.</param>
    public ExpressionBinder(Scope scope, QueryBinder queries, Clause clause, IReadOnlyList<NamedWindow>? namedWindows = null, Scope? outer = null)
    {
        _scope = scope;
        _queries = queries;
        _clause = clause;
        _namedWindows = namedWindows ?? [];
        _outer = outer;
    }

    /// <summary>Whether a bound expression contained a group aggregate (not one with OVER).</summary>
    public bool SawAggregate { get; private set; }

    /// <summary>Whether a bound expression contained an OVER aggregate.</summary>
    public bool SawOverAggregate { get; private set; }

    /// <summary>Whether a bound expression contained a ranking function (ROW_NUMBER, RANK, DENSE_RANK).</summary>
    public bool SawRanking { get; private set; }

    /// <summary>The type name used in messages: without NOT NULL or time-attribute marks.</summary>
    public static string Describe(SqlType type) => type.WithNullable(true).WithoutTimeAttribute().ToString();

    public BoundExpression BindBoolean(SqlExpression expression, string what)
    {
        var bound = Bind(expression);
        if (bound.Type.Kind is not (SqlTypeKind.Boolean or SqlTypeKind.Null))
        {
            throw new SqlValidationException($"{what} must be a boolean expression, but is {Describe(bound.Type)}", expression.Span);
        }

        return bound;
    }

    public BoundExpression Bind(SqlExpression expression) => expression switch
    {
        ColumnReference column => BindColumn(column),
        NumericLiteral number => BindNumber(number),
        StringLiteral text => new BoundLiteral(SqlPrinter.Print(text)) { Type = SqlType.Char(text.Value.Length).WithNullable(false), Span = text.Span },
        BooleanLiteral boolean => new BoundLiteral(boolean.Value ? "TRUE" : "FALSE") { Type = SqlType.Boolean.WithNullable(false), Span = boolean.Span },
        NullLiteral nothing => new BoundLiteral(null) { Type = SqlType.Null, Span = nothing.Span },
        TypedLiteral typed => BindTypedLiteral(typed),
        IntervalLiteral interval => BindInterval(interval),
        FieldAccessExpression access => BindFieldAccess(Bind(access.Target), access.Field, access.Span),
        SubscriptExpression subscript => BindSubscript(subscript),
        UnaryExpression unary => BindUnary(unary),
        BinaryExpression binary => BindBinary(binary),
        BetweenExpression between => BindBetween(between),
        InListExpression inList => BindInList(inList),
        InSubqueryExpression inQuery => BindInSubquery(inQuery),
        ExistsExpression exists => new BoundSubquery(BoundSubqueryKind.Exists, _queries.BindSubquery(exists.Query, _scope), null, false)
        {
            Type = SqlType.Boolean.WithNullable(false),
            Span = exists.Span,
        },
        ScalarSubquery scalar => BindScalarSubquery(scalar),
        IsExpression isExpression => BindIs(isExpression),
        LikeExpression like => BindLike(like),
        CaseExpression caseExpression => BindCase(caseExpression),
        CastExpression cast => BindCast(cast),
        ExtractExpression extract => BindExtract(extract),
        FunctionCall call => BindCall(call),
        ValueConstructor constructor => BindConstructor(constructor),
        DescriptorArgument => throw new SqlValidationException("DESCRIPTOR is only allowed as an argument of a window table function", expression.Span),
        TableArgument => throw new SqlValidationException("TABLE arguments are only allowed in a window table function", expression.Span),
        NamedArgument named => throw new SqlValidationException($"Named argument '{named.Name.Value}' is only allowed in a window table function", expression.Span),
        _ => throw new SqlValidationException($"{expression.GetType().Name} is not supported", expression.Span),
    };

    private BoundExpression BindColumn(ColumnReference column)
    {
        var parts = column.Parts;
        BoundExpression bound;
        var consumed = 1;
        if (parts.Count > 1 && _scope.FindEntry(parts[0].Value) is { } entry)
        {
            // A qualified name: the first part names a relation of the FROM clause.
            var index = -1;
            for (var i = 0; i < entry.Columns.Count; i++)
            {
                if (entry.Columns[i].Name == parts[1].Value)
                {
                    index = i;
                    break;
                }
            }

            if (index < 0)
            {
                throw new SqlValidationException(
                    $"Column '{parts[1].Value}' not found in table '{entry.Alias}'{NameSuggestions.Hint(parts[1].Value, entry.Columns.Select(c => c.Name))}",
                    parts[1].Span);
            }

            bound = new BoundColumnReference(entry.Offset + index, entry.Columns[index].Name) { Type = entry.Columns[index].Type, Span = parts[0].Span.Through(parts[1].Span) };
            consumed = 2;
        }
        else if (_scope.Resolve(parts[0]) is { } resolved)
        {
            bound = new BoundColumnReference(resolved.Ordinal, resolved.Column.Name) { Type = resolved.Column.Type, Span = parts[0].Span };
        }
        else if (ResolveOuter(parts) is { } outer)
        {
            (bound, consumed) = outer;
        }
        else if (parts.Count > 1)
        {
            var tables = _scope.Entries.Where(e => e.Alias is not null).Select(e => e.Alias!);
            throw new SqlValidationException(
                $"Table or column '{parts[0].Value}' not found{NameSuggestions.Hint(parts[0].Value, tables.Concat(_scope.Entries.SelectMany(e => e.Columns.Select(c => c.Name))))}",
                parts[0].Span);
        }
        else
        {
            throw _scope.NotFound(parts[0]);
        }

        for (var i = consumed; i < parts.Count; i++)
        {
            bound = BindFieldAccess(bound, parts[i], parts[0].Span.Through(parts[i].Span));
        }

        return bound;
    }

    /// <summary>A name of the enclosing query (qualified by one of its relations, or unqualified), for a correlated
    /// subquery; null when there is no enclosing query or it has no such column.</summary>
    private (BoundExpression Bound, int Consumed)? ResolveOuter(NodeList<Identifier> parts)
    {
        if (_outer is null)
        {
            return null;
        }

        if (parts.Count > 1 && _outer.FindEntry(parts[0].Value) is { } entry)
        {
            for (var i = 0; i < entry.Columns.Count; i++)
            {
                if (entry.Columns[i].Name == parts[1].Value)
                {
                    var column = entry.Columns[i];
                    return (new BoundOuterReference(entry.Offset + i, column.Name) { Type = column.Type, Span = parts[0].Span.Through(parts[1].Span) }, 2);
                }
            }

            throw new SqlValidationException(
                $"Column '{parts[1].Value}' not found in table '{entry.Alias}'{NameSuggestions.Hint(parts[1].Value, entry.Columns.Select(c => c.Name))}",
                parts[1].Span);
        }

        return _outer.Resolve(parts[0]) is { } resolved
            ? (new BoundOuterReference(resolved.Ordinal, resolved.Column.Name) { Type = resolved.Column.Type, Span = parts[0].Span }, 1)
            : null;
    }

    private static BoundFieldAccess BindFieldAccess(BoundExpression target, Identifier field, Syntax.SqlSpan span)
    {
        if (target.Type.Kind != SqlTypeKind.Row)
        {
            throw new SqlValidationException($"Cannot access field '{field.Value}' of a value of type {Describe(target.Type)}", field.Span);
        }

        foreach (var candidate in target.Type.Fields)
        {
            if (candidate.Name == field.Value)
            {
                // A field of a nullable row is nullable.
                var type = candidate.Type.WithNullable(candidate.Type.Nullable || target.Type.Nullable);
                return new BoundFieldAccess(target, field.Value) { Type = type, Span = span };
            }
        }

        throw new SqlValidationException(
            $"Field '{field.Value}' not found in {Describe(target.Type)}{NameSuggestions.Hint(field.Value, target.Type.Fields.Select(f => f.Name))}",
            field.Span);
    }

    private static BoundLiteral BindNumber(NumericLiteral number)
    {
        var text = number.Text;
        SqlType type;
        if (text.Contains('e', StringComparison.OrdinalIgnoreCase))
        {
            type = SqlType.Double;
        }
        else if (!text.Contains('.', StringComparison.Ordinal))
        {
            var digits = text.TrimStart('0').Length;
            type = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? SqlType.Int
                : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? SqlType.BigInt
                : digits <= SqlType.MaxDecimalPrecision ? SqlType.Decimal(Math.Max(1, digits), 0)
                : throw new SqlValidationException($"Numeric literal '{text}' has more than 38 digits", number.Span);
        }
        else
        {
            var point = text.IndexOf('.', StringComparison.Ordinal);
            var scale = text.Length - point - 1;
            var integerDigits = text[..point].TrimStart('0').Length;
            var precision = Math.Max(integerDigits + scale, 1);
            if (precision > SqlType.MaxDecimalPrecision)
            {
                throw new SqlValidationException($"Numeric literal '{text}' has more than 38 digits", number.Span);
            }

            type = SqlType.Decimal(Math.Max(precision, scale), scale);
        }

        return new BoundLiteral(text) { Type = type.WithNullable(false), Span = number.Span };
    }

    private static BoundLiteral BindTypedLiteral(TypedLiteral literal)
    {
        var culture = CultureInfo.InvariantCulture;
        var value = literal.Value.Trim();
        SqlType type;
        bool valid;
        switch (literal.Kind)
        {
            case TypedLiteralKind.Date:
                valid = DateOnly.TryParseExact(value, "yyyy-MM-dd", culture, DateTimeStyles.None, out _);
                type = SqlType.Date;
                break;
            case TypedLiteralKind.Time:
                valid = TimeOnly.TryParse(value, culture, DateTimeStyles.None, out _);
                type = SqlType.Time(FractionDigits(value));
                break;
            default:
                valid = DateTime.TryParse(value, culture, DateTimeStyles.None, out _);
                type = SqlType.Timestamp(Math.Max(FractionDigits(value), 0));
                break;
        }

        if (!valid)
        {
            throw new SqlValidationException($"Invalid {literal.Kind.ToString().ToUpperInvariant()} literal '{literal.Value}'", literal.Span);
        }

        return new BoundLiteral(SqlPrinter.Print(literal)) { Type = type.WithNullable(false), Span = literal.Span };
    }

    private static int FractionDigits(string value)
    {
        var point = value.LastIndexOf('.');
        return point < 0 ? 0 : Math.Min(9, value.Length - point - 1);
    }

    private static BoundLiteral BindInterval(IntervalLiteral interval)
    {
        var yearMonth = interval.Start is TimeUnit.Year or TimeUnit.Month or TimeUnit.Quarter;
        if (interval.End is null && !decimal.TryParse(interval.Value.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
        {
            throw new SqlValidationException($"Invalid interval literal '{interval.Value}'", interval.Span);
        }

        if (interval.Start is not (TimeUnit.Year or TimeUnit.Quarter or TimeUnit.Month or TimeUnit.Week or TimeUnit.Day
            or TimeUnit.Hour or TimeUnit.Minute or TimeUnit.Second or TimeUnit.Millisecond))
        {
            throw new SqlValidationException($"INTERVAL {interval.Start.ToString().ToUpperInvariant()} is not supported", interval.Span);
        }

        var type = yearMonth ? SqlType.IntervalYearMonth : SqlType.IntervalDayTime;
        return new BoundLiteral(SqlPrinter.Print(interval)) { Type = type.WithNullable(false), Span = interval.Span };
    }
}
