using System.Globalization;
using Freshet.Sql.Ast;
using Freshet.Sql.Syntax;

namespace Freshet.Sql.Parsing;

/// <summary>Expressions by precedence climbing (<see cref="Precedence"/>), and their primaries.</summary>
public sealed partial class SqlParser
{
    private static readonly (string Word, TimeUnit Unit)[] IntervalUnits =
    [
        ("YEAR", TimeUnit.Year), ("YEARS", TimeUnit.Year), ("MONTH", TimeUnit.Month), ("MONTHS", TimeUnit.Month),
        ("DAY", TimeUnit.Day), ("DAYS", TimeUnit.Day), ("HOUR", TimeUnit.Hour), ("HOURS", TimeUnit.Hour),
        ("MINUTE", TimeUnit.Minute), ("MINUTES", TimeUnit.Minute), ("SECOND", TimeUnit.Second), ("SECONDS", TimeUnit.Second),
    ];

    private static readonly (string Word, TimeUnit Unit)[] ExtractUnits =
    [
        ("YEAR", TimeUnit.Year), ("QUARTER", TimeUnit.Quarter), ("MONTH", TimeUnit.Month), ("WEEK", TimeUnit.Week),
        ("DAY", TimeUnit.Day), ("HOUR", TimeUnit.Hour), ("MINUTE", TimeUnit.Minute), ("SECOND", TimeUnit.Second),
        ("MILLISECOND", TimeUnit.Millisecond), ("MICROSECOND", TimeUnit.Microsecond), ("NANOSECOND", TimeUnit.Nanosecond),
        ("DOW", TimeUnit.DayOfWeek), ("DOY", TimeUnit.DayOfYear), ("EPOCH", TimeUnit.Epoch), ("DECADE", TimeUnit.Decade),
        ("CENTURY", TimeUnit.Century), ("MILLENNIUM", TimeUnit.Millennium),
    ];

    private SqlExpression ParseExpression() => ParseBinary(Precedence.Or);

    /// <summary>
    /// Parses an expression whose operators all bind at least as tightly as <paramref name="minPrecedence"/>. Each
    /// operator chained onto the left operand counts one nesting level, since the tree deepens with it.
    /// </summary>
    private SqlExpression ParseBinary(int minPrecedence)
    {
        Enter();
        var start = Current;
        var left = ParsePrefix();
        var chained = 0;
        while (true)
        {
            var precedence = InfixPrecedence();
            if (precedence == 0 || precedence < minPrecedence)
            {
                break;
            }

            Enter();
            chained++;
            left = ParseInfix(left, precedence) with { Span = SpanFrom(start) };
        }

        Exit(chained + 1);
        return left;
    }

    /// <summary>The precedence of the infix operator at the current token, or 0 when there is none.</summary>
    private int InfixPrecedence()
    {
        Note("operator");
        var token = Current;
        if (token.Kind == SqlTokenKind.Symbol)
        {
            return token.Value switch
            {
                "=" or "<>" or "!=" or "<" or "<=" or ">" or ">=" => Precedence.Comparison,
                "+" or "-" => Precedence.Additive,
                "*" or "/" or "%" or "||" => Precedence.Multiplicative,
                _ => 0,
            };
        }

        if (token.IsWord("OR"))
        {
            return Precedence.Or;
        }

        if (token.IsWord("AND"))
        {
            return Precedence.And;
        }

        if (token.IsWord("IS") || token.IsWord("BETWEEN") || token.IsWord("IN") || token.IsWord("LIKE") || token.IsWord("SIMILAR"))
        {
            return Precedence.Comparison;
        }

        if (token.IsWord("NOT"))
        {
            var next = PeekToken(1);
            if (next.IsWord("BETWEEN") || next.IsWord("IN") || next.IsWord("LIKE") || next.IsWord("SIMILAR"))
            {
                return Precedence.Comparison;
            }
        }

        return 0;
    }

    private SqlExpression ParseInfix(SqlExpression left, int precedence)
    {
        var token = Advance();
        if (token.Kind == SqlTokenKind.Symbol)
        {
            var op = token.Value switch
            {
                "=" => BinaryOperator.Equal,
                "<>" or "!=" => BinaryOperator.NotEqual,
                "<" => BinaryOperator.Less,
                "<=" => BinaryOperator.LessOrEqual,
                ">" => BinaryOperator.Greater,
                ">=" => BinaryOperator.GreaterOrEqual,
                "+" => BinaryOperator.Add,
                "-" => BinaryOperator.Subtract,
                "*" => BinaryOperator.Multiply,
                "/" => BinaryOperator.Divide,
                "%" => BinaryOperator.Modulo,
                _ => BinaryOperator.Concat,
            };
            return new BinaryExpression(op, left, ParseBinary(precedence + 1));
        }

        if (token.IsWord("OR"))
        {
            return new BinaryExpression(BinaryOperator.Or, left, ParseBinary(precedence + 1));
        }

        if (token.IsWord("AND"))
        {
            return new BinaryExpression(BinaryOperator.And, left, ParseBinary(precedence + 1));
        }

        if (token.IsWord("IS"))
        {
            return ParseIsRest(left);
        }

        var negated = token.IsWord("NOT");
        var keyword = negated ? Advance() : token;
        if (keyword.IsWord("BETWEEN"))
        {
            if (Current.IsWord("SYMMETRIC") || Current.IsWord("ASYMMETRIC"))
            {
                throw Unsupported("BETWEEN " + Current.Value.ToUpperInvariant(), Current);
            }

            var low = ParseBinary(Precedence.Additive);
            ExpectWord("AND");
            var high = ParseBinary(Precedence.Additive);
            return new BetweenExpression(left, low, high, negated);
        }

        if (keyword.IsWord("IN"))
        {
            ExpectSymbol("(");
            if (CheckWord("SELECT") | CheckWord("WITH") | CheckWord("VALUES"))
            {
                var query = ParseQuery();
                ExpectSymbol(")");
                return new InSubqueryExpression(left, query, negated);
            }

            var values = ParseExpressionList();
            ExpectSymbol(")");
            return new InListExpression(left, values, negated);
        }

        if (keyword.IsWord("LIKE"))
        {
            var pattern = ParseBinary(Precedence.Additive);
            SqlExpression? escape = AcceptWord("ESCAPE") ? ParseBinary(Precedence.Additive) : null;
            return new LikeExpression(left, pattern, escape, negated);
        }

        throw Unsupported("SIMILAR TO", keyword);
    }

    private SqlExpression ParseIsRest(SqlExpression left)
    {
        var negated = AcceptWord("NOT");
        if (AcceptWord("NULL"))
        {
            return new IsExpression(left, IsTest.Null, negated);
        }

        if (AcceptWord("TRUE"))
        {
            return new IsExpression(left, IsTest.True, negated);
        }

        if (AcceptWord("FALSE"))
        {
            return new IsExpression(left, IsTest.False, negated);
        }

        if (AcceptWord("UNKNOWN"))
        {
            return new IsExpression(left, IsTest.Unknown, negated);
        }

        if (AcceptWord("DISTINCT"))
        {
            ExpectWord("FROM");
            var right = ParseBinary(Precedence.Comparison + 1);
            return new BinaryExpression(negated ? BinaryOperator.IsNotDistinctFrom : BinaryOperator.IsDistinctFrom, left, right);
        }

        if (Current.IsWord("JSON"))
        {
            throw Unsupported("IS JSON", Current);
        }

        throw Unexpected();
    }

    private SqlExpression ParsePrefix()
    {
        var start = Current;
        if (TakeWord("NOT"))
        {
            return new UnaryExpression(UnaryOperator.Not, ParseBinary(Precedence.Not)) { Span = SpanFrom(start) };
        }

        if (TakeSymbol("-"))
        {
            return new UnaryExpression(UnaryOperator.Negate, ParseBinary(Precedence.Unary)) { Span = SpanFrom(start) };
        }

        if (TakeSymbol("+"))
        {
            return new UnaryExpression(UnaryOperator.Plus, ParseBinary(Precedence.Unary)) { Span = SpanFrom(start) };
        }

        var expression = ParsePrimary() with { Span = SpanFrom(start) };
        var postfix = 0;
        while (true)
        {
            if (TakeSymbol("["))
            {
                var index = ParseExpression();
                ExpectSymbol("]");
                Enter();
                postfix++;
                expression = new SubscriptExpression(expression, index) { Span = SpanFrom(start) };
            }
            else if (TakeSymbol("."))
            {
                Enter();
                postfix++;
                expression = new FieldAccessExpression(expression, ParseIdentifier()) { Span = SpanFrom(start) };
            }
            else
            {
                Exit(postfix);
                return expression;
            }
        }
    }

    private SqlExpression ParsePrimary()
    {
        var token = Current;
        Note("expression");
        switch (token.Kind)
        {
            case SqlTokenKind.Number:
                Advance();
                return new NumericLiteral(token.Value);
            case SqlTokenKind.String:
                Advance();
                return new StringLiteral(token.Value);
            case SqlTokenKind.QuotedIdentifier:
                return ParseNameOrCall();
            case SqlTokenKind.Symbol when token.Value == "(":
                return ParseParenthesised();
            case SqlTokenKind.Word:
                break;
            default:
                throw Unexpected();
        }

        if (!SqlKeywords.IsReserved(token.Value))
        {
            return ParseNameOrCall();
        }

        Advance();
        switch (token.Value.ToUpperInvariant())
        {
            case "TRUE":
                return new BooleanLiteral(true);
            case "FALSE":
                return new BooleanLiteral(false);
            case "NULL":
                return new NullLiteral();
            case "DATE":
                return new TypedLiteral(TypedLiteralKind.Date, ParseStringValue());
            case "TIME":
                return new TypedLiteral(TypedLiteralKind.Time, ParseStringValue());
            case "TIMESTAMP":
                return new TypedLiteral(TypedLiteralKind.Timestamp, ParseStringValue());
            case "INTERVAL":
                return ParseIntervalRest();
            case "CASE":
                return ParseCaseRest();
            case "CAST":
            case "TRY_CAST":
                {
                    ExpectSymbol("(");
                    var operand = ParseExpression();
                    ExpectWord("AS");
                    var type = ParseDataType();
                    ExpectSymbol(")");
                    return new CastExpression(operand, type, token.IsWord("TRY_CAST"));
                }

            case "EXTRACT":
                {
                    ExpectSymbol("(");
                    var unit = ParseUnit(ExtractUnits);
                    ExpectWord("FROM");
                    var source = ParseExpression();
                    ExpectSymbol(")");
                    return new ExtractExpression(unit, source);
                }

            case "EXISTS":
                {
                    ExpectSymbol("(");
                    var query = ParseQuery();
                    ExpectSymbol(")");
                    return new ExistsExpression(query);
                }

            case "CURRENT_DATE":
            case "CURRENT_TIME":
            case "CURRENT_TIMESTAMP":
            case "LOCALTIME":
            case "LOCALTIMESTAMP":
                {
                    var name = new Identifier(token.Value.ToUpperInvariant()) { Span = token.Span };
                    return new FunctionCall(new ObjectName(new NodeList<Identifier>([name])) { Span = token.Span }, new NodeList<SqlExpression>([]))
                    {
                        WithoutParentheses = true,
                    };
                }

            case "ARRAY":
                return ParseConstructorRest(ConstructorKind.Array, "[", "]");
            case "MAP":
                {
                    var map = ParseConstructorRest(ConstructorKind.Map, "[", "]");
                    return map.Elements.Count % 2 == 0
                        ? map
                        : throw Invalid("MAP[...] needs keys and values in pairs", token);
                }

            case "ROW":
                return ParseConstructorRest(ConstructorKind.Row, "(", ")");
            case "MULTISET":
                throw Unsupported("MULTISET value constructors", token);
            default:
                _index--;
                throw Unexpected();
        }
    }

    private ValueConstructor ParseConstructorRest(ConstructorKind kind, string open, string close)
    {
        if (!CheckSymbol(open))
        {
            throw Unexpected();
        }

        Advance();
        var elements = ParseExpressionList();
        ExpectSymbol(close);
        return new ValueConstructor(kind, elements);
    }

    private SqlExpression ParseParenthesised()
    {
        var open = Advance();
        if (CheckWord("SELECT") | CheckWord("WITH") | CheckWord("VALUES"))
        {
            var query = ParseQuery();
            ExpectSymbol(")");
            return new ScalarSubquery(query);
        }

        var inner = ParseExpression();
        if (CheckSymbol(","))
        {
            throw Unsupported("A row value (a, b, ...)", open);
        }

        ExpectSymbol(")");
        return inner;
    }

    private IntervalLiteral ParseIntervalRest()
    {
        Note("string literal");
        if (Current.Kind != SqlTokenKind.String)
        {
            throw Unexpected();
        }

        var value = Advance().Value;
        var start = ParseUnit(IntervalUnits);
        if (CheckSymbol("("))
        {
            throw Unsupported("An interval qualifier precision", Current);
        }

        if (!AcceptWord("TO"))
        {
            return new IntervalLiteral(value, start);
        }

        var endToken = Current;
        var end = ParseUnit(IntervalUnits);
        var valid = (start, end) switch
        {
            (TimeUnit.Year, TimeUnit.Month) => true,
            (TimeUnit.Day, TimeUnit.Hour or TimeUnit.Minute or TimeUnit.Second) => true,
            (TimeUnit.Hour, TimeUnit.Minute or TimeUnit.Second) => true,
            (TimeUnit.Minute, TimeUnit.Second) => true,
            _ => false,
        };
        if (!valid)
        {
            throw Invalid(
                $"Invalid interval qualifier {start.ToString().ToUpperInvariant()} TO {end.ToString().ToUpperInvariant()}; expected YEAR TO MONTH, DAY TO HOUR|MINUTE|SECOND, HOUR TO MINUTE|SECOND or MINUTE TO SECOND",
                endToken);
        }

        return new IntervalLiteral(value, start, end);
    }

    private TimeUnit ParseUnit((string Word, TimeUnit Unit)[] units)
    {
        foreach (var (word, unit) in units)
        {
            if (AcceptWord(word))
            {
                return unit;
            }
        }

        throw Unexpected();
    }

    private CaseExpression ParseCaseRest()
    {
        SqlExpression? operand = CheckWord("WHEN") ? null : ParseExpression();
        var whens = new List<WhenClause>();
        while (true)
        {
            var whenStart = Current;
            if (!AcceptWord("WHEN"))
            {
                if (whens.Count == 0)
                {
                    throw Unexpected();
                }

                break;
            }

            var condition = ParseExpression();
            ExpectWord("THEN");
            whens.Add(new WhenClause(condition, ParseExpression()) { Span = SpanFrom(whenStart) });
        }

        SqlExpression? otherwise = AcceptWord("ELSE") ? ParseExpression() : null;
        ExpectWord("END");
        return new CaseExpression(operand, new NodeList<WhenClause>(whens), otherwise);
    }

    /// <summary>A column reference (a dotted chain of names) or a function call (a chain followed by '(').</summary>
    private SqlExpression ParseNameOrCall()
    {
        var start = Current;
        var parts = new List<Identifier> { ParseIdentifier() };
        while (Current.IsSymbol(".") && IsIdentifierToken(PeekToken(1)))
        {
            Advance();
            parts.Add(ParseIdentifier());
        }

        if (!Current.IsSymbol("("))
        {
            return new ColumnReference(new NodeList<Identifier>(parts));
        }

        var name = new ObjectName(new NodeList<Identifier>(parts)) { Span = SpanFrom(start) };
        var keywordForms = parts.Count == 1 && start.Kind == SqlTokenKind.Word
            && (start.IsWord("SUBSTRING") || start.IsWord("TRIM") || start.IsWord("POSITION") || start.IsWord("OVERLAY")
                || start.IsWord("CEIL") || start.IsWord("CEILING") || start.IsWord("FLOOR"));
        if (keywordForms && start.IsWord("POSITION") && FindPositionIn() is { } positionIn)
        {
            throw KeywordArguments(start, positionIn);
        }

        Advance();
        if (keywordForms && (Current.IsWord("BOTH") || Current.IsWord("LEADING") || Current.IsWord("TRAILING"))
            && !(PeekToken(1).IsSymbol(",") || PeekToken(1).IsSymbol(")")))
        {
            throw KeywordArguments(start, Current);
        }

        var distinct = AcceptWord("DISTINCT");
        if (!distinct)
        {
            AcceptWord("ALL");
        }

        var star = false;
        var arguments = new List<SqlExpression>();
        if (!distinct && CheckSymbol("*"))
        {
            Advance();
            star = true;
        }
        else if (!CheckSymbol(")"))
        {
            do
            {
                arguments.Add(ParseExpression());
                if (keywordForms && IsArgumentKeyword(Current))
                {
                    throw KeywordArguments(start, Current);
                }
            }
            while (AcceptSymbol(","));
        }

        ExpectSymbol(")");
        if (Current.IsWord("WITHIN"))
        {
            throw Unsupported("WITHIN GROUP", Current);
        }

        SqlExpression? filter = null;
        if (AcceptWord("FILTER"))
        {
            ExpectSymbol("(");
            ExpectWord("WHERE");
            filter = ParseExpression();
            ExpectSymbol(")");
        }

        WindowSpecification? over = null;
        if (AcceptWord("OVER"))
        {
            var overStart = Current;
            over = CheckSymbol("(")
                ? ParseWindowSpecification()
                : new WindowSpecification(ParseIdentifier(), new NodeList<SqlExpression>([]), new NodeList<OrderByItem>([]), null) { Span = SpanFrom(overStart) };
        }

        return new FunctionCall(name, new NodeList<SqlExpression>(arguments))
        {
            Distinct = distinct,
            StarArgument = star,
            Filter = filter,
            Over = over,
        };
    }

    /// <summary>
    /// Refuses the SQL-standard keyword forms of some functions (<c>SUBSTRING(s FROM 1 FOR 2)</c>,
    /// <c>TRIM(BOTH 'x' FROM s)</c>, <c>POSITION(a IN b)</c>, <c>CEIL(ts TO DAY)</c>) by name, rather than failing
    /// with a confusing error inside them. <paramref name="at"/> is the keyword found among the arguments.
    /// </summary>
    private SqlParseException KeywordArguments(SqlToken function, SqlToken at) =>
        Unsupported(
            $"{function.Value.ToUpperInvariant()}(... {at.Value.ToUpperInvariant()} ...) (write the arguments separated by commas)",
            at);

    /// <summary>Whether <paramref name="token"/> is one of the keywords that separate SQL-standard keyword arguments.</summary>
    private static bool IsArgumentKeyword(SqlToken token) =>
        token.IsWord("FROM") || token.IsWord("FOR") || token.IsWord("TO") || token.IsWord("PLACING");

    /// <summary>For POSITION, finds <c>IN</c> not followed by '(' among the top-level arguments (the current token is the '(').</summary>
    private SqlToken? FindPositionIn()
    {
        var depth = 0;
        for (var i = _index; i < _tokens.Count - 1; i++)
        {
            var token = _tokens[i];
            if (token.IsSymbol("("))
            {
                depth++;
            }
            else if (token.IsSymbol(")") && --depth == 0)
            {
                return null;
            }
            else if (depth == 1 && token.IsWord("IN") && !_tokens[i + 1].IsSymbol("("))
            {
                return token;
            }
        }

        return null;
    }

    private static bool TryParseInt(SqlToken token, out int value) =>
        int.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
